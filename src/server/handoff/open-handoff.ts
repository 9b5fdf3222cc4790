import type { HandoffPolicy } from '../../core/handoff/resolve-handoff.ts';
import { computeSlaDeadlines } from '../../core/handoff/sla-deadlines.ts';
import type { Db } from '../db/open-database.ts';
import { enqueueWebhook } from '../webhooks/enqueue-webhook.ts';
import { type LeadRow, leadPayload } from './load-leads.ts';

/**
 * Gives a lead to `owner` and starts the first-touch clock at `now`: the contact's owner and
 * team change, an open hand-off row holds the warning and due instants for the SLA sweep,
 * and `lead.assigned` goes to the outbox. Any hand-off still open for the lead is closed.
 */
export async function openHandoff(
  trx: Db,
  workspaceId: string,
  policy: HandoffPolicy,
  now: number,
  lead: LeadRow,
  assignment: {
    owner: string;
    teamId: string | null;
    explanation: string;
    closedReason?: string;
    /** Escalation ladder position carried over from a reassigned hand-off. */
    escalationStep?: number;
  },
): Promise<void> {
  const at = new Date(now);
  await trx
    .updateTable('handoffs')
    .set({ status: 'closed', closed_reason: assignment.closedReason ?? 'replaced' })
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', lead.id)
    .where('status', '=', 'open')
    .execute();
  const { warnAt, dueAt } = computeSlaDeadlines(policy.sla, now);
  await trx
    .updateTable('contacts')
    .set({ owner: assignment.owner, team_id: assignment.teamId, updated_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', lead.id)
    .execute();
  await trx
    .insertInto('handoffs')
    .values({
      workspace_id: workspaceId,
      contact_id: lead.id,
      owner: assignment.owner,
      team_id: assignment.teamId,
      qualified_at: at,
      warn_at: new Date(warnAt),
      due_at: new Date(dueAt),
      escalation_step: assignment.escalationStep ?? 0,
    })
    .execute();
  await enqueueWebhook(
    trx,
    workspaceId,
    'lead.assigned',
    {
      lead: leadPayload(lead, { owner: assignment.owner }),
      owner: assignment.owner,
      teamId: assignment.teamId,
      explanation: assignment.explanation,
      firstTouchDueAt: new Date(dueAt).toISOString(),
      warnAt: new Date(warnAt).toISOString(),
    },
    now,
  );
}
