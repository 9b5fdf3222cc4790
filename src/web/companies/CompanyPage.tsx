import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../app/api.ts';
import { type ExplanationLine, personName, STAGES } from '../app/types.ts';
import { Card, CellChip, ErrorNotice, Fact, Loading, StageBadge } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import type { Company } from './CompaniesPage.tsx';

interface CompanyPageData {
  company: Company;
  fit: { points: number; groups: string[]; lines: ExplanationLine[] } | null;
  contacts: Array<{
    id: string;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    jobTitle: string | null;
    stage: string;
    owner: string | null;
    score: number;
    engagement: number;
    grade: string;
    temperature: string;
  }>;
  rollup: {
    contacts: number;
    byStage: Record<string, number>;
    engagement: number;
    engagedContacts: number;
    lastChange: string | null;
  };
}

/** A company: what it earns by itself, who works there and where each stands, and how engaged they are. */
export function CompanyPage() {
  const { id = '' } = useParams();
  const { t, number, points, signedPoints, relative } = useFormat();
  const query = useQuery({
    queryKey: ['company', id],
    queryFn: () => api<CompanyPageData>(`/api/companies/${id}/page`),
  });
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorNotice error={query.error} retry={() => query.refetch()} />;
  const { company, fit, contacts, rollup } = query.data;
  const now = Date.now();
  return (
    <div className="page">
      <nav aria-label={t('lead.breadcrumb')} className="breadcrumb">
        <Link to="/companies">{t('companies.title')}</Link>
      </nav>
      <header className="lead-head card">
        <div className="lead-identity">
          <h1>{company.name ?? company.domain}</h1>
          <p className="muted">{[company.domain, company.industry, company.country].filter(Boolean).join(' · ')}</p>
        </div>
        <dl className="score-summary">
          <div>
            <dt>{t('companies.contacts')}</dt>
            <dd className="big-figure">{number(rollup.contacts)}</dd>
          </div>
          <div>
            <dt>{t('companies.engagement')}</dt>
            <dd>{points(rollup.engagement)}</dd>
          </div>
          <div>
            <dt>{t('companies.engaged')}</dt>
            <dd>{number(rollup.engagedContacts)}</dd>
          </div>
        </dl>
      </header>
      <div className="lead-columns">
        <div className="lead-left">
          <Card title={t('companies.people')}>
            {contacts.length === 0 ? (
              <p className="muted">{t('companies.nobody')}</p>
            ) : (
              <div className="table-scroll">
                <table className="table compact" data-testid="company-contacts">
                  <thead>
                    <tr>
                      <th scope="col">{t('leads.col.name')}</th>
                      <th scope="col">{t('leads.col.stage')}</th>
                      <th scope="col">{t('leads.col.cell')}</th>
                      <th scope="col" className="num">
                        {t('leads.col.score')}
                      </th>
                      <th scope="col">{t('leads.col.owner')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {contacts.map((contact) => (
                      <tr key={contact.id}>
                        <th scope="row">
                          <Link to={`/leads/${contact.id}`} className="lead-link">
                            {personName(contact)}
                          </Link>
                          <span className="sub">{contact.jobTitle}</span>
                        </th>
                        <td>
                          <StageBadge stage={contact.stage} />
                        </td>
                        <td>
                          <CellChip grade={contact.grade} temperature={contact.temperature} />
                        </td>
                        <td className="num">{points(contact.score)}</td>
                        <td>{contact.owner ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
        </div>
        <div className="lead-right">
          <Card title={t('companies.fit')}>
            {fit === null ? (
              <p className="muted">{t('lead.noPlaybook')}</p>
            ) : (
              <table className="table explanation compact" data-testid="company-fit">
                <caption className="visually-hidden">{t('companies.fit')}</caption>
                <tbody>
                  {fit.lines.length === 0 && (
                    <tr>
                      <td colSpan={2} className="muted">
                        {t('explain.nothing')}
                      </td>
                    </tr>
                  )}
                  {fit.lines.map((line) => (
                    <tr
                      key={`${line.kind}-${line.group}-${line.rule}`}
                      className={line.kind === 'rule' ? undefined : 'cap-line'}
                    >
                      <td>
                        {line.kind === 'rule'
                          ? line.label
                          : t('explain.groupCap', { group: line.group ?? '', cap: number(line.cap ?? 0) })}
                      </td>
                      <td className="num points" data-points={line.points}>
                        {signedPoints(line.points)}
                      </td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">{t('explain.total')}</th>
                    <td className="num" data-value={fit.points}>
                      {points(fit.points)}
                    </td>
                  </tr>
                </tfoot>
              </table>
            )}
          </Card>
          <Card title={t('companies.facts')}>
            <dl className="facts">
              <Fact label={t('lead.employees')} value={company.employees === null ? null : number(company.employees)} />
              <Fact
                label={t('companies.revenue')}
                value={company.annualRevenue === null ? null : number(company.annualRevenue)}
              />
              <Fact
                label={t('companies.founded')}
                value={company.foundedYear === null ? null : String(company.foundedYear)}
              />
              <Fact label={t('companies.owner')} value={company.owner} />
              <Fact
                label={t('companies.lastChange')}
                value={rollup.lastChange ? relative(rollup.lastChange, now) : null}
              />
            </dl>
          </Card>
          <Card title={t('home.byStage')}>
            <ul className="plain-list">
              {STAGES.filter((stage) => (rollup.byStage[stage] ?? 0) > 0).map((stage) => (
                <li key={stage} className="row-between">
                  <StageBadge stage={stage} />
                  <span className="num">{number(rollup.byStage[stage] ?? 0)}</span>
                </li>
              ))}
            </ul>
          </Card>
        </div>
      </div>
    </div>
  );
}
