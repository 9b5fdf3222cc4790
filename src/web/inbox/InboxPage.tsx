import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api } from '../app/api.ts';
import { useSession } from '../app/session.tsx';
import { fetchTeams, TEAMS_KEY } from '../app/teams-api.ts';
import { type Handoff, personName } from '../app/types.ts';
import { CellChip, ErrorNotice, Loading, StageBadge } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { useLeadActionDone } from '../lead/SalesActions.tsx';
import { useLiveChanges } from './use-live-changes.ts';
import { useNow } from './use-now.ts';

/**
 * The sales queue: open hand-offs, soonest deadline first, live. A rep sees their own; a
 * manager or admin picks whose (everyone's by default).
 */
export function InboxPage() {
  const session = useSession();
  const { t } = useFormat();
  const [params, setParams] = useSearchParams();
  const isRep = session.user.role === 'rep';
  const owner = isRep ? session.user.email : (params.get('owner') ?? '');
  const team = isRep ? '' : (params.get('team') ?? '');
  const breachedOnly = params.get('breached') === 'true';
  const query = useQuery({
    queryKey: ['handoffs', owner, team, breachedOnly],
    queryFn: () =>
      api<{ items: Handoff[] }>('/api/handoffs', {
        query: {
          owner: owner || undefined,
          team: team || undefined,
          status: 'open',
          breached: breachedOnly ? true : undefined,
          limit: 200,
        },
      }),
  });
  useLiveChanges([['handoffs']]);
  const now = useNow(1000);
  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('inbox.title')}</h1>
        <span className="live-dot" title={t('inbox.live')}>
          {t('inbox.live')}
        </span>
      </div>
      <div className="filters compact">
        {!isRep && (
          <QueuePicker
            value={team ? `team:${team}` : owner ? `owner:${owner}` : ''}
            onChange={(picked) => {
              const next = new URLSearchParams(params);
              next.delete('owner');
              next.delete('team');
              if (picked.startsWith('team:')) next.set('team', picked.slice('team:'.length));
              if (picked.startsWith('owner:')) next.set('owner', picked.slice('owner:'.length));
              setParams(next);
            }}
          />
        )}
        <label className="check">
          <input
            type="checkbox"
            checked={breachedOnly}
            onChange={(event) => setParam('breached', event.target.checked ? 'true' : null)}
          />
          {t('inbox.breachedOnly')}
        </label>
      </div>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorNotice error={query.error} retry={() => query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <p className="empty">{t('inbox.empty')}</p>
      ) : (
        <ul className="inbox" data-testid="inbox">
          {query.data.items.map((handoff) => (
            <InboxItem key={handoff.id} handoff={handoff} now={now} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** A manager's choice of queue: everyone's, a team's, or one rep's, as the playbook's teams name them. */
function QueuePicker({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useFormat();
  const teams = useQuery({ queryKey: TEAMS_KEY, queryFn: fetchTeams });
  const known = new Set(
    (teams.data?.teams ?? []).flatMap((team) => [
      `team:${team.id}`,
      ...[team.manager, ...team.reps].flatMap((member) => (member ? [`owner:${member.id}`] : [])),
    ]),
  );
  return (
    <div className="field">
      <label htmlFor="inbox-queue">{t('inbox.queue')}</label>
      <select id="inbox-queue" value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{t('inbox.everyone')}</option>
        {value !== '' && !known.has(value) && <option value={value}>{value.slice(value.indexOf(':') + 1)}</option>}
        {(teams.data?.teams ?? []).map((team) => (
          <optgroup key={team.id} label={team.label ?? team.id}>
            <option value={`team:${team.id}`}>{t('inbox.wholeTeam', { team: team.label ?? team.id })}</option>
            {[team.manager, ...team.reps].map(
              (member) =>
                member && (
                  <option key={member.id} value={`owner:${member.id}`}>
                    {member.available ? member.id : t('inbox.awayRep', { rep: member.id })}
                  </option>
                ),
            )}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

function InboxItem({ handoff, now }: { handoff: Handoff; now: number }) {
  const { t, countdown, points } = useFormat();
  const done = useLeadActionDone();
  const act = useMutation({
    mutationFn: ({ path, body }: { path: string; body?: unknown }) =>
      api(`/api/contacts/${handoff.contactId}/${path}`, { method: 'POST', body: body ?? {} }),
    onSuccess: () => done(),
  });
  const left = Date.parse(handoff.dueAt) - now;
  const breached = handoff.breachedAt !== null || left < 0;
  const warned = !breached && Date.parse(handoff.warnAt) <= now;
  const contact = handoff.contact;
  return (
    <li className={`inbox-item${breached ? ' breached' : warned ? ' warned' : ''}`} data-contact={handoff.contactId}>
      <div className="inbox-who">
        <Link to={`/leads/${handoff.contactId}`} className="lead-link">
          {personName(contact)}
        </Link>
        <span className="sub">{[contact.jobTitle, contact.company].filter(Boolean).join(' · ')}</span>
      </div>
      <div className="inbox-state">
        <StageBadge stage={contact.stage} />
        <CellChip grade={contact.grade} temperature={contact.temperature} />
        <span className="num">{points(contact.score)}</span>
      </div>
      <div className="inbox-deadline">
        {breached ? (
          <strong className="down">{t('inbox.breached')}</strong>
        ) : (
          <span className="visually-hidden">{t('inbox.timeLeft')}</span>
        )}
        <span className={`countdown${breached ? ' down' : ''}`} role="timer">
          {countdown(left)}
        </span>
      </div>
      <div className="inbox-actions">
        {contact.stage === 'mql' && (
          <button type="button" className="button primary" onClick={() => act.mutate({ path: 'accept' })}>
            {t('actions.accept')}
          </button>
        )}
        {handoff.firstTouchAt === null && (
          <>
            <button
              type="button"
              className="button"
              onClick={() => act.mutate({ path: 'touch', body: { channel: 'call' } })}
            >
              {t('inbox.logCall')}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => act.mutate({ path: 'touch', body: { channel: 'email' } })}
            >
              {t('inbox.logEmail')}
            </button>
          </>
        )}
      </div>
      {act.isError && <ErrorNotice error={act.error} />}
    </li>
  );
}
