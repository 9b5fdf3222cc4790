import { sql } from 'kysely';
import type { CompiledPlaybook } from '../../core/playbook/compile-playbook.ts';
import type { Db } from '../db/open-database.ts';

/** A rep or manager the playbook names, with the account that signs in as them and their load. */
export interface TeamMember {
  /** As the playbook names them: the email leads are routed to. */
  id: string;
  /** Their share under the weighted strategy (1 for managers and round robin). */
  weight: number;
  /** The user who signs in with this email, or null: nobody sees these leads in the web app. */
  user: { id: string; role: string } | null;
  available: boolean;
  /** When an away rep is back; null when away until further notice, or available. */
  awayUntil: string | null;
  openHandoffs: number;
  breachedHandoffs: number;
}

export interface TeamView {
  id: string;
  label: string | null;
  strategy: 'round-robin' | 'weighted';
  manager: TeamMember | null;
  reps: TeamMember[];
}

export interface TeamsView {
  /** The published playbook version the teams come from; null before any is published. */
  playbookVersion: number | null;
  teams: TeamView[];
  /** Reps and managers who sign in but are in no team: no lead is routed to them. */
  outsideTeams: Array<{ id: string; email: string; role: string }>;
}

/**
 * The sales teams as the published playbook routes leads to them, each member matched to the
 * user with that email, with their availability and open hand-offs.
 */
export async function listTeams(
  db: Db,
  workspaceId: string,
  playbook: CompiledPlaybook | null,
  now: number,
): Promise<TeamsView> {
  const routing = playbook?.document.handoff?.routing;
  const [users, away, load] = await Promise.all([
    db
      .selectFrom('users')
      .select(['id', 'email', 'role'])
      .where('workspace_id', '=', workspaceId)
      .where('removed_at', 'is', null)
      .orderBy('email')
      .execute(),
    db
      .selectFrom('rep_availability')
      .select(['rep_id', 'until'])
      .where('workspace_id', '=', workspaceId)
      .where('available', '=', false)
      .where((where) => where.or([where('until', 'is', null), where('until', '>', new Date(now))]))
      .execute(),
    sql<{ owner: string; open: number; breached: number }>`
      select owner, count(*)::int as open, (count(*) filter (where breached_at is not null))::int as breached
      from handoffs
      where workspace_id = ${workspaceId} and status = 'open' and owner is not null
      group by owner`.execute(db),
  ]);
  const userByEmail = new Map(users.map((user) => [user.email, user]));
  const awayById = new Map(away.map((row) => [row.rep_id, row.until]));
  const loadByOwner = new Map(load.rows.map((row) => [row.owner, row]));
  const member = (id: string, weight: number): TeamMember => {
    const user = userByEmail.get(id.toLowerCase());
    const until = awayById.get(id);
    const owned = loadByOwner.get(id);
    return {
      id,
      weight,
      user: user ? { id: user.id, role: user.role } : null,
      available: until === undefined,
      awayUntil: until?.toISOString() ?? null,
      openHandoffs: owned?.open ?? 0,
      breachedHandoffs: owned?.breached ?? 0,
    };
  };
  const teams = (routing?.teams ?? []).map((team) => ({
    id: team.id,
    label: team.label ?? null,
    strategy: team.strategy ?? 'round-robin',
    manager: team.manager ? member(team.manager, 1) : null,
    reps: team.reps.map((rep) => member(rep.id, rep.weight ?? 1)),
  }));
  const named = new Set(
    teams.flatMap((team) => [team.manager, ...team.reps]).flatMap((each) => (each ? [each.id.toLowerCase()] : [])),
  );
  const outsideTeams = users
    .filter((user) => (user.role === 'rep' || user.role === 'manager') && !named.has(user.email))
    .map((user) => ({ id: user.id, email: user.email, role: user.role }));
  return { playbookVersion: playbook?.version ?? null, teams, outsideTeams };
}
