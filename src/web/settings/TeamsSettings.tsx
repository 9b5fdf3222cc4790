import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../app/api.ts';
import { fetchTeams, TEAMS_KEY, type TeamMember } from '../app/teams-api.ts';
import { Card, ErrorNotice, Loading } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

/**
 * The sales teams as the published playbook routes leads to them: who is in each, whether
 * they can sign in, who is away (routing skips them), and their open hand-offs.
 */
export function TeamsSettings() {
  const { t } = useFormat();
  const teams = useQuery({ queryKey: TEAMS_KEY, queryFn: fetchTeams });
  if (teams.isPending) return <Loading />;
  if (teams.isError) return <ErrorNotice error={teams.error} retry={() => teams.refetch()} />;
  const { playbookVersion, outsideTeams } = teams.data;
  return (
    <>
      <p className="muted">
        {playbookVersion === null
          ? t('teams.noPlaybook')
          : t('teams.fromPlaybook', { version: String(playbookVersion) })}{' '}
        <Link to="/playbook/edit">{t('teams.editInPlaybook')}</Link>
      </p>
      {teams.data.teams.length === 0 && <p className="empty">{t('teams.none')}</p>}
      {teams.data.teams.map((team) => (
        <Card key={team.id} title={team.label ?? team.id}>
          <p className="small muted">
            {t(`teams.strategy.${team.strategy === 'weighted' ? 'weighted' : 'roundRobin'}`)} ·{' '}
            <Link to={`/inbox?team=${encodeURIComponent(team.id)}`}>{t('teams.openInbox')}</Link>
          </p>
          <ul className="plain-list" data-testid={`team-${team.id}`}>
            {team.manager && <Member member={team.manager} manager />}
            {team.reps.map((rep) => (
              <Member key={rep.id} member={rep} weighted={team.strategy === 'weighted'} />
            ))}
          </ul>
        </Card>
      ))}
      {outsideTeams.length > 0 && (
        <Card title={t('teams.outside')}>
          <p className="small muted">{t('teams.outsideHint')}</p>
          <ul className="plain-list">
            {outsideTeams.map((user) => (
              <li key={user.id} className="row-between">
                <span className="break">{user.email}</span>
                <span className="role-badge">{t(`role.${user.role}`)}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}

function Member({
  member,
  manager = false,
  weighted = false,
}: {
  member: TeamMember;
  manager?: boolean;
  weighted?: boolean;
}) {
  const { t, dateTime } = useFormat();
  const client = useQueryClient();
  const [choosing, setChoosing] = useState(false);
  const set = useMutation({
    mutationFn: (body: { available: boolean; until?: string }) =>
      api(`/api/reps/${encodeURIComponent(member.id)}/availability`, { method: 'PUT', body }),
    onSuccess: async () => {
      setChoosing(false);
      await client.invalidateQueries({ queryKey: TEAMS_KEY });
    },
  });
  const away = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const until = String(new FormData(event.currentTarget).get('until') ?? '');
    set.mutate({ available: false, ...(until ? { until: new Date(until).toISOString() } : {}) });
  };
  const role = manager
    ? t('teams.manager')
    : weighted
      ? t('teams.repWeight', { weight: member.weight })
      : t('teams.rep');
  const accountNote = !member.user ? (
    <span className="warn-text">{t('teams.noAccount')}</span>
  ) : member.user.role !== (manager ? 'manager' : 'rep') ? (
    t('teams.signsInAs', { role: t(`role.${member.user.role}`) })
  ) : null;
  return (
    <li className="team-member" data-member={member.id}>
      <div className="row-between">
        <div className="grow-text">
          <strong className="break">{member.id}</strong>
          <span className="sub">
            {role}
            {accountNote && <> · {accountNote}</>}
          </span>
          <span className="sub">
            <Link to={`/inbox?owner=${encodeURIComponent(member.id)}`}>
              {t('teams.open', { count: member.openHandoffs })}
            </Link>
            {member.breachedHandoffs > 0 && ` · ${t('teams.breached', { count: member.breachedHandoffs })}`}
          </span>
        </div>
        <div className="row member-state">
          {member.available ? (
            <span className="badge stage-customer">{t('teams.available')}</span>
          ) : (
            <span className="badge stage-recycled">
              {member.awayUntil ? t('teams.awayUntil', { date: dateTime(member.awayUntil) }) : t('teams.away')}
            </span>
          )}
          {member.available ? (
            <button type="button" className="button" aria-expanded={choosing} onClick={() => setChoosing(!choosing)}>
              {t('teams.markAway')}
            </button>
          ) : (
            <button type="button" className="button" onClick={() => set.mutate({ available: true })}>
              {t('teams.markAvailable')}
            </button>
          )}
        </div>
      </div>
      {choosing && (
        <form className="filters compact team-away" onSubmit={away}>
          <div className="field">
            <label htmlFor={`until-${member.id}`}>{t('teams.until')}</label>
            <input id={`until-${member.id}`} name="until" type="datetime-local" />
          </div>
          <button type="submit" className="button primary" disabled={set.isPending}>
            {t('teams.confirmAway')}
          </button>
        </form>
      )}
      {set.isError && <ErrorNotice error={set.error} />}
    </li>
  );
}
