import type { Db } from '../db/open-database.ts';
import { type LeadRow, leadPayload, stageOf } from '../lifecycle/load-leads.ts';
import { writeStageHistory } from '../lifecycle/write-stage-changes.ts';
import { enqueueWebhook } from '../webhooks/enqueue-webhook.ts';
import { type MoveContext, snapshotOf } from './move-lead.ts';
import { openHandoffs } from './open-handoff.ts';

/**
 * Gives a locked lead to another owner, as a manager decides it. The hand-off follows: one
 * still waiting for its first touch is closed as `reassigned` and a new one starts the new
 * owner's clock (its escalation step carried over); a touched one changes owner. The stage
 * history records who moved it from whom to whom, and `lead.assigned` goes out.
 */
export async function reassignLead(trx: Db, context: MoveContext, lead: LeadRow, owner: string): Promise<void> {
  const { workspaceId, now } = context;
  const explanation = `reassigned from ${lead.owner ?? 'nobody'} to ${owner} by ${context.actor}`;
  const handoff = await trx
    .selectFrom('handoffs')
    .select(['id', 'status', 'escalation_step'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', lead.id)
    .where('status', '!=', 'closed')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (handoff?.status === 'open') {
    await openHandoffs(trx, workspaceId, context.policy, now, [
      {
        lead,
        owner,
        teamId: lead.team_id,
        explanation,
        closedReason: 'reassigned',
        escalationStep: handoff.escalation_step,
      },
    ]);
  } else {
    if (handoff) {
      await trx
        .updateTable('handoffs')
        .set({ owner })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', handoff.id)
        .execute();
    }
    await trx
      .updateTable('contacts')
      .set({ owner, updated_at: new Date(now) })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', lead.id)
      .execute();
    await enqueueWebhook(
      trx,
      workspaceId,
      'lead.assigned',
      { lead: leadPayload(lead, { owner }), owner, teamId: lead.team_id, explanation },
      now,
    );
  }
  await writeStageHistory(
    trx,
    workspaceId,
    [
      {
        contactId: lead.id,
        from: stageOf(lead),
        to: stageOf(lead),
        actor: context.actor,
        transition: 'reassign',
        rule: null,
        reason: explanation,
        playbookVersion: context.playbookVersion,
        scoreSnapshot: snapshotOf(lead, context.playbookVersion),
      },
    ],
    now,
  );
}
