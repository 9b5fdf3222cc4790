import type { Db } from '../db/open-database.ts';
import { type LeadRow, leadPayload } from '../lifecycle/load-leads.ts';
import { enqueueWebhook } from '../webhooks/enqueue-webhook.ts';

/**
 * Logs sales' first touch (call, email or meeting). It stops the lead's SLA clock: the open
 * hand-off becomes `touched` with the time and channel, whether before or after its deadline.
 */
export async function recordTouch(
  trx: Db,
  workspaceId: string,
  now: number,
  lead: LeadRow,
  channel: 'call' | 'email' | 'meeting',
  actor: string,
): Promise<void> {
  const at = new Date(now);
  const stopped = await trx
    .updateTable('handoffs')
    .set({ status: 'touched', first_touch_at: at, touch_channel: channel })
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', lead.id)
    .where('status', '=', 'open')
    .returning(['id', 'due_at', 'qualified_at'])
    .executeTakeFirst();
  await enqueueWebhook(
    trx,
    workspaceId,
    'lead.touched',
    {
      lead: leadPayload(lead),
      channel,
      by: actor,
      handoffId: stopped?.id ?? null,
      withinSla: stopped ? now <= stopped.due_at.getTime() : null,
      responseSeconds: stopped ? Math.round((now - stopped.qualified_at.getTime()) / 1000) : null,
    },
    now,
  );
}
