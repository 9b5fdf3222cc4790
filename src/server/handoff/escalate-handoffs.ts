import { sql } from 'kysely';
import { durationMs } from '../../core/duration.ts';
import type { HandoffPolicy } from '../../core/handoff/resolve-handoff.ts';
import { nextRepAfter } from '../../core/handoff/route-lead.ts';
import { assertUnreachable } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { enqueueWebhooks } from '../webhooks/enqueue-webhooks.ts';
import { type LeadRow, leadPayload, loadLeadsById } from './load-leads.ts';
import { moveLead } from './move-lead.ts';
import { openHandoffs } from './open-handoff.ts';
import { listUnavailableReps, lockRotations, saveRotations } from './rotations.ts';

interface EscalationRow {
  id: string;
  contact_id: string;
  owner: string;
  team_id: string | null;
  due_at: Date;
  escalation_step: number;
}

export interface EscalationContext {
  workspaceId: string;
  playbookVersion: number;
  policy: HandoffPolicy;
  now: number;
}

/**
 * Runs the escalation steps that are due on breached hand-offs: tell the manager, reassign
 * to the next rep (a fresh clock; the ladder continues where it was), or recycle to nurture.
 * Each hand-off's step counter moves in the same transaction as the step's effects.
 * Returns how many steps ran.
 */
export async function escalateHandoffs(trx: Db, context: EscalationContext, limit: number): Promise<number> {
  const { workspaceId, now } = context;
  const claimed = await sql<EscalationRow>`
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
  let stepped = 0;
  const announcements: Array<{ type: 'sla.escalated'; data: Record<string, unknown> }> = [];
  for (const row of claimed.rows) {
    const lead = leads.get(row.contact_id);
    // Someone is working on this lead right now: the next sweep takes the step.
    if (!lead) continue;
    const data = await runStep(trx, context, row, lead);
    if (data) announcements.push({ type: 'sla.escalated', data });
    stepped++;
  }
  await enqueueWebhooks(trx, workspaceId, announcements, now);
  return stepped;
}

/** Takes one escalation step; returns what the `sla.escalated` webhook says about it. */
async function runStep(
  trx: Db,
  context: EscalationContext,
  row: EscalationRow,
  lead: LeadRow,
): Promise<Record<string, unknown> | null> {
  const { workspaceId, policy, now } = context;
  const step = policy.escalation[row.escalation_step];
  const nextStep = row.escalation_step + 1;
  const following = policy.escalation[nextStep];
  await trx
    .updateTable('handoffs')
    .set({
      escalation_step: nextStep,
      next_escalation_at: following ? new Date(row.due_at.getTime() + following.afterMs) : null,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', row.id)
    .execute();
  if (!step) return null;
  const team = policy.routing?.teams.find((candidate) => candidate.id === row.team_id);
  const base = { lead: leadPayload(lead), handoffId: row.id, owner: row.owner, teamId: row.team_id };
  switch (step.action) {
    case 'notify-manager':
      return { ...base, action: step.action, manager: team?.manager ?? null };
    case 'reassign': {
      const outcome = await reassign(trx, context, row, lead, nextStep);
      return { ...base, action: step.action, ...outcome };
    }
    case 'recycle': {
      const moved = await moveLead(trx, { ...context, actor: 'rule:sla-escalation', reason: step.reason }, lead, {
        kind: 'recycle',
        reason: step.reason,
        nurtureUntil: now + durationMs(step.nurtureFor),
        allowedReasons: policy.reasons.recycle,
      });
      const detail = moved.ok ? { to: moved.value.to } : { error: moved.error.message };
      return { ...base, action: step.action, ...detail };
    }
    default:
      return assertUnreachable(step);
  }
}

async function reassign(
  trx: Db,
  context: EscalationContext,
  row: EscalationRow,
  lead: LeadRow,
  escalationStep: number,
): Promise<Record<string, unknown>> {
  const { workspaceId, policy, now } = context;
  if (!policy.routing || row.team_id === null) {
    return {
      error: 'the lead has no team to reassign within (it went to its company owner); notify the manager instead',
    };
  }
  const rotations = await lockRotations(trx, workspaceId, [row.team_id]);
  const unavailable = await listUnavailableReps(trx, workspaceId, now);
  const next = nextRepAfter(policy.routing, row.team_id, row.owner, rotations[row.team_id], unavailable);
  if (!next.ok) return { error: next.error.message };
  await saveRotations(trx, workspaceId, { [row.team_id]: next.value.rotation });
  await openHandoffs(trx, workspaceId, policy, now, [
    {
      lead,
      owner: next.value.owner,
      teamId: next.value.teamId,
      explanation: `reassigned after a missed SLA: ${next.value.explanation}`,
      closedReason: 'reassigned',
      escalationStep,
    },
  ]);
  return { newOwner: next.value.owner };
}
