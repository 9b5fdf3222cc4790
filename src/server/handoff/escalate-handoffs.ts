import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { durationMs } from '../../core/duration.ts';
import type { HandoffPolicy } from '../../core/handoff/resolve-handoff.ts';
import { nextRepAfter } from '../../core/handoff/route-lead.ts';
import { assertUnreachable } from '../../core/result.ts';
import { anyUuid, jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import type { HandoffsTable } from '../db/schema.ts';
import { type LeadRow, leadPayload, loadLeadsById } from '../lifecycle/load-leads.ts';
import { enqueueWebhooks } from '../webhooks/enqueue-webhooks.ts';
import { moveLead } from './move-lead.ts';
import { type Assignment, openHandoffs } from './open-handoff.ts';
import { listUnavailableReps, lockRotations, saveRotations } from './rotations.ts';

/** A hand-off as the sweeps claim it. */
export type DueHandoff = Pick<
  Selectable<HandoffsTable>,
  'id' | 'contact_id' | 'owner' | 'team_id' | 'due_at' | 'escalation_step'
>;

export interface EscalationContext {
  workspaceId: string;
  playbookVersion: number;
  policy: HandoffPolicy;
  now: number;
}

/**
 * Runs the escalation steps that are due on breached hand-offs, set-based: one statement moves
 * every claimed hand-off's step counter; managers are told; reassignments lock their teams'
 * rotations once, pick reps in claim order and open the new hand-offs in one call; recycles
 * move their leads to nurture. All in the caller's transaction, so a step's counter moves with
 * its effects. A catch-up after an outage is a few statements per batch, not a few per lead.
 * Returns how many steps ran.
 */
export async function escalateHandoffs(trx: Db, context: EscalationContext, limit: number): Promise<number> {
  const { workspaceId, policy, now } = context;
  const claimed = await sql<DueHandoff>`
    select id, contact_id, owner, team_id, due_at, escalation_step from handoffs
    where workspace_id = ${workspaceId} and status = 'open' and next_escalation_at <= ${new Date(now)}
    order by next_escalation_at limit ${limit}
    for update skip locked`.execute(trx);
  if (claimed.rows.length === 0) return 0;
  const leads = await loadLeadsById(
    trx,
    workspaceId,
    claimed.rows.map((row) => row.contact_id),
    'skip',
  );
  // Someone is working on a lead that is absent here right now: the next sweep takes its step.
  const due = claimed.rows.flatMap((row) => {
    const lead = leads.get(row.contact_id);
    return lead ? [{ row, lead, step: policy.escalation[row.escalation_step] }] : [];
  });
  await advanceSteps(
    trx,
    workspaceId,
    policy,
    due.map(({ row }) => row),
  );
  const announcements = new Map<string, Record<string, unknown>>();
  const base = ({ row, lead }: { row: DueHandoff; lead: LeadRow }) => ({
    lead: leadPayload(lead),
    handoffId: row.id,
    owner: row.owner,
    teamId: row.team_id,
  });
  const reassignments: Array<{ row: DueHandoff; lead: LeadRow }> = [];
  for (const item of due) {
    const { row, lead, step } = item;
    if (!step) continue;
    switch (step.action) {
      case 'notify-manager': {
        const team = policy.routing?.teams.find((candidate) => candidate.id === row.team_id);
        announcements.set(row.id, { ...base(item), action: step.action, manager: team?.manager ?? null });
        break;
      }
      case 'reassign':
        reassignments.push(item);
        announcements.set(row.id, { ...base(item), action: step.action });
        break;
      case 'recycle': {
        const moved = await moveLead(trx, { ...context, actor: 'rule:sla-escalation', reason: step.reason }, lead, {
          kind: 'recycle',
          reason: step.reason,
          nurtureUntil: now + durationMs(step.nurtureFor),
          allowedReasons: policy.reasons.recycle,
        });
        const detail = moved.ok ? { to: moved.value.to } : { error: moved.error.message };
        announcements.set(row.id, { ...base(item), action: step.action, ...detail });
        break;
      }
      default:
        assertUnreachable(step);
    }
  }
  const outcomes = await reassign(trx, context, reassignments);
  for (const [handoffId, outcome] of outcomes) {
    announcements.set(handoffId, { ...announcements.get(handoffId), ...outcome });
  }
  await enqueueWebhooks(
    trx,
    workspaceId,
    [...announcements.values()].map((data) => ({ type: 'sla.escalated' as const, data })),
    now,
  );
  return due.length;
}

/** Moves each hand-off one step up its ladder and schedules the next step, in one statement. */
async function advanceSteps(
  trx: Db,
  workspaceId: string,
  policy: HandoffPolicy,
  rows: readonly DueHandoff[],
): Promise<void> {
  if (rows.length === 0) return;
  const steps = rows.map((row) => {
    const following = policy.escalation[row.escalation_step + 1];
    return {
      id: row.id,
      step: row.escalation_step + 1,
      next: following ? new Date(row.due_at.getTime() + following.afterMs).toISOString() : null,
    };
  });
  await sql`update handoffs as h set escalation_step = v.step, next_escalation_at = v.next
    from jsonb_to_recordset(${jsonRows(steps)}) as v(id uuid, step integer, next timestamptz)
    where h.workspace_id = ${workspaceId} and h.id = ${anyUuid(steps.map((step) => step.id))} and h.id = v.id`.execute(
    trx,
  );
}

/**
 * Hands leads to the next rep of their team, in claim order: the teams' rotations are locked
 * once, each pick moves its team's rotation on, and the new hand-offs (fresh clock, the ladder
 * continuing) open in one call. Returns what each hand-off's `sla.escalated` webhook adds.
 */
async function reassign(
  trx: Db,
  context: EscalationContext,
  items: ReadonlyArray<{ row: DueHandoff; lead: LeadRow }>,
): Promise<Map<string, Record<string, unknown>>> {
  const { workspaceId, policy, now } = context;
  const outcomes = new Map<string, Record<string, unknown>>();
  if (items.length === 0) return outcomes;
  const routing = policy.routing;
  const teamIds = items.flatMap(({ row }) => (row.team_id === null ? [] : [row.team_id]));
  const rotations = routing ? await lockRotations(trx, workspaceId, teamIds) : {};
  const unavailable = routing ? await listUnavailableReps(trx, workspaceId, now) : new Set<string>();
  const moved = new Set<string>();
  const assignments: Assignment[] = [];
  for (const { row, lead } of items) {
    if (!routing || row.team_id === null) {
      outcomes.set(row.id, {
        error: 'the lead has no team to reassign within (it went to its company owner); notify the manager instead',
      });
      continue;
    }
    const next = nextRepAfter(routing, row.team_id, row.owner, rotations[row.team_id], unavailable);
    if (!next.ok) {
      outcomes.set(row.id, { error: next.error.message });
      continue;
    }
    rotations[row.team_id] = next.value.rotation;
    moved.add(row.team_id);
    assignments.push({
      lead,
      owner: next.value.owner,
      teamId: next.value.teamId,
      explanation: `reassigned after a missed SLA: ${next.value.explanation}`,
      closedReason: 'reassigned',
      escalationStep: row.escalation_step + 1,
    });
    outcomes.set(row.id, { newOwner: next.value.owner });
  }
  const changed = Object.fromEntries(
    [...moved].flatMap((teamId) => {
      const rotation = rotations[teamId];
      return rotation ? [[teamId, rotation] as const] : [];
    }),
  );
  await saveRotations(trx, workspaceId, changed);
  await openHandoffs(trx, workspaceId, policy, now, assignments);
  return outcomes;
}
