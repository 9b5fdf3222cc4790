import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../app/api.ts';
import { useSession } from '../app/session.tsx';
import { type HomeData, personName, STAGES } from '../app/types.ts';
import { Card, CellChip, ErrorNotice, Loading, Table } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { useNow } from '../inbox/use-now.ts';

/** What needs attention today, for the person signed in; every figure opens the list behind it. */
export function HomePage() {
  const session = useSession();
  const { t, number, percent, relative } = useFormat();
  const now = useNow(30_000);
  const query = useQuery({ queryKey: ['home'], queryFn: () => api<HomeData>('/api/home') });
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorNotice error={query.error} retry={() => query.refetch()} />;
  const home = query.data;
  const role = session.user.role;
  const works = role === 'rep' || role === 'manager' || role === 'admin';
  const change = home.mqls.last7Days - home.mqls.previous7Days;
  return (
    <div className="page">
      <h1>{t('home.title')}</h1>
      <div className="grid">
        {works && (
          <Card
            title={t('home.yourHandoffs')}
            actions={
              <Link to="/inbox" className="link">
                {t('home.openInbox')}
              </Link>
            }
          >
            {home.myBreached > 0 && (
              <p className="notice warn">
                <Link to="/inbox?breached=true">{t('home.breached', { count: home.myBreached })}</Link>
              </p>
            )}
            {home.myHandoffs.length === 0 ? (
              <p className="muted">{t('home.noHandoffs')}</p>
            ) : (
              <ul className="plain-list">
                {home.myHandoffs.map((handoff) => (
                  <li key={handoff.id} className="row-between">
                    <Link to={`/leads/${handoff.contactId}`}>{personName(handoff.contact)}</Link>
                    <CellChip grade={handoff.contact.grade} temperature={handoff.contact.temperature} />
                    <span className={handoff.breachedAt ? 'due breached' : 'due'}>
                      {t('home.due', { when: relative(handoff.dueAt, now) })}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}
        <Card title={t('home.newMqls')}>
          <Link to="/leads?stage=mql" className="big-figure">
            {number(home.mqls.last7Days)}
          </Link>
          <p className="muted">
            {t('home.mqlsCompared', { previous: number(home.mqls.previous7Days) })}{' '}
            <span className={change >= 0 ? 'up' : 'down'}>
              {change >= 0 ? '▲' : '▼'} {number(Math.abs(change))}
            </span>
          </p>
        </Card>
        {role !== 'rep' && (
          <Card title={t('home.bySource')}>
            {home.mqlsBySource.length === 0 ? (
              <p className="muted">{t('home.noMqls')}</p>
            ) : (
              <ul className="stage-bars" data-testid="mqls-by-source">
                {home.mqlsBySource.map((row) => {
                  const max = Math.max(1, ...home.mqlsBySource.map((each) => each.count));
                  return (
                    <li key={row.source} className="stage-bar-link">
                      <span className="stage-name">{row.source === 'direct' ? t('home.direct') : row.source}</span>
                      <span className="bar" aria-hidden="true">
                        <span className="fill stage-mql" style={{ width: `${(row.count / max) * 100}%` }} />
                      </span>
                      <span className="count">{number(row.count)}</span>
                    </li>
                  );
                })}
              </ul>
            )}
          </Card>
        )}
        <Card title={t('home.byStage')}>
          <ul className="stage-bars">
            {STAGES.map((stage) => {
              const count = home.stages[stage] ?? 0;
              const max = Math.max(1, ...Object.values(home.stages));
              return (
                <li key={stage}>
                  <Link to={`/leads?stage=${stage}`} className="stage-bar-link">
                    <span className="stage-name">{t(`stage.${stage}`)}</span>
                    <span className="bar" aria-hidden="true">
                      <span className={`fill stage-${stage}`} style={{ width: `${(count / max) * 100}%` }} />
                    </span>
                    <span className="count">{number(count)}</span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </Card>
        {home.sla.length > 0 && (
          <Card title={t('home.slaByRep')} wide>
            <Table
              columns={[t('home.rep'), t('home.due7'), t('home.inTime'), t('home.breachedCol')]}
              className="compact"
            >
              {home.sla.map((row) => (
                <tr key={row.owner}>
                  <th scope="row">
                    <Link to={`/inbox?owner=${encodeURIComponent(row.owner)}`}>{row.owner}</Link>
                  </th>
                  <td>{number(row.due)}</td>
                  <td>{row.due === 0 ? '—' : percent(row.inTime / row.due)}</td>
                  <td className={row.breached > 0 ? 'down' : undefined}>{number(row.breached)}</td>
                </tr>
              ))}
            </Table>
          </Card>
        )}
      </div>
    </div>
  );
}
