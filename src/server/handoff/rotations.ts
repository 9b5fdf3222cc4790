import { Value } from '@sinclair/typebox/value';
import { sql } from 'kysely';
import { emptyRotation, RotationState } from '../../core/handoff/pick-rep.ts';
import { anyText, jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';

/**
 * Locks the rotation rows of these teams (creating missing ones) in team order, so two
 * transactions routing leads at once queue up instead of both taking the same "next rep".
 */
export async function lockRotations(
  trx: Db,
  workspaceId: string,
  teamIds: readonly string[],
): Promise<Record<string, RotationState>> {
  const teams = [...new Set(teamIds)].sort();
  if (teams.length === 0) return {};
  await sql`insert into routing_rotations (workspace_id, team_id)
    select ${workspaceId}, t from unnest(${teams}::text[]) as t
    on conflict do nothing`.execute(trx);
  const rows = await sql<{ team_id: string; state: unknown }>`
    select team_id, state from routing_rotations
    where workspace_id = ${workspaceId} and team_id = ${anyText(teams)}
    order by team_id
    for update`.execute(trx);
  const states: Record<string, RotationState> = {};
  for (const row of rows.rows) states[row.team_id] = Value.Check(RotationState, row.state) ? row.state : emptyRotation;
  return states;
}

export async function saveRotations(
  trx: Db,
  workspaceId: string,
  states: Readonly<Record<string, RotationState>>,
): Promise<void> {
  const rows = Object.entries(states).map(([team_id, state]) => ({ team_id, state }));
  if (rows.length === 0) return;
  await sql`update routing_rotations as r set state = v.state, picks = r.picks + 1
    from jsonb_to_recordset(${jsonRows(rows)}) as v(team_id text, state jsonb)
    where r.workspace_id = ${workspaceId} and r.team_id = v.team_id`.execute(trx);
}

/** Reps marked unavailable at `now` (an `until` in the past means they are back). */
export async function listUnavailableReps(trx: Db, workspaceId: string, now: number): Promise<Set<string>> {
  const rows = await sql<{ rep_id: string }>`
    select rep_id from rep_availability
    where workspace_id = ${workspaceId} and available = false and (until is null or until > ${new Date(now)})`.execute(
    trx,
  );
  return new Set(rows.rows.map((row) => row.rep_id));
}
