import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import type { WebhookEventType } from './enqueue-webhook.ts';

/**
 * The outbox for many messages at once (sweeps): one statement writes every message some
 * enabled endpoint subscribed to, and one delivery per such endpoint, as `enqueueWebhook` does
 * for one.
 */
export async function enqueueWebhooks(
  trx: Db,
  workspaceId: string,
  items: ReadonlyArray<{ type: WebhookEventType; data: Record<string, unknown> }>,
  now: number,
): Promise<void> {
  if (items.length === 0) return;
  const at = new Date(now).toISOString();
  const rows = items.map((item) => ({
    id: `msg_${randomBytes(18).toString('base64url')}`,
    type: item.type,
    body: { type: item.type, timestamp: at, data: item.data },
  }));
  await sql`
    with targets as (
      select id, event_types from webhook_endpoints where workspace_id = ${workspaceId}::uuid and enabled
    ), items as (
      select v.id, v.type, v.body from jsonb_to_recordset(${jsonRows(rows)}) as v(id text, type text, body jsonb)
      where exists (select 1 from targets t where cardinality(t.event_types) = 0 or v.type = any(t.event_types))
    ), messages as (
      insert into webhook_messages (workspace_id, id, type, payload, created_at)
      select ${workspaceId}::uuid, id, type, body, ${at}::timestamptz from items
      returning id, type
    )
    insert into webhook_deliveries (workspace_id, message_id, endpoint_id, next_attempt_at)
    select ${workspaceId}::uuid, m.id, t.id, ${at}::timestamptz
    from messages m join targets t on cardinality(t.event_types) = 0 or m.type = any(t.event_types)`.execute(trx);
}
