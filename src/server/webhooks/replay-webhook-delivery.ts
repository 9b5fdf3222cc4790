import { sql } from 'kysely';
import { err, ok, type Result } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { selectDeliveries } from './list-webhook-deliveries.ts';
import { toDeliveryView, type WebhookDeliveryView } from './webhook-views.ts';

export type ReplayError = { kind: 'not-found' | 'endpoint-disabled'; message: string };

/**
 * Sends a message to an endpoint again, whatever became of the original delivery (delivered ones included):
 * a new pending delivery of the same message, so the receiver sees the same `webhook-id` and body.
 */
export async function replayWebhookDelivery(
  db: Db,
  workspaceId: string,
  deliveryId: number,
  now: number,
): Promise<Result<WebhookDeliveryView, ReplayError>> {
  const at = new Date(now).toISOString();
  const inserted = await sql<{ id: number }>`
    insert into webhook_deliveries (workspace_id, message_id, endpoint_id, next_attempt_at, created_at)
    select d.workspace_id, d.message_id, d.endpoint_id, ${at}::timestamptz, ${at}::timestamptz
    from webhook_deliveries d
    join webhook_endpoints e on e.workspace_id = d.workspace_id and e.id = d.endpoint_id
    where d.workspace_id = ${workspaceId}::uuid and d.id = ${deliveryId} and e.enabled
    returning id`.execute(db);
  const id = inserted.rows[0]?.id;
  if (id === undefined) return err(await explainRefusal(db, workspaceId, deliveryId));
  const row = await selectDeliveries(db, workspaceId).where('d.id', '=', id).executeTakeFirstOrThrow();
  return ok(toDeliveryView(row));
}

async function explainRefusal(db: Db, workspaceId: string, deliveryId: number): Promise<ReplayError> {
  const original = await db
    .selectFrom('webhook_deliveries')
    .select('endpoint_id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  if (!original) return { kind: 'not-found', message: `no webhook delivery with id ${deliveryId}` };
  return {
    kind: 'endpoint-disabled',
    message: `webhook endpoint ${original.endpoint_id} is disabled; re-enable it with PATCH /api/webhooks/${original.endpoint_id} {"enabled": true}, then replay`,
  };
}
