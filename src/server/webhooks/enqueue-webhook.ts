import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { err, ok, type Result } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { enqueueWebhooks } from './enqueue-webhooks.ts';

/** The event types an endpoint can subscribe to (docs/webhooks.md lists when each is sent). */
export const WEBHOOK_EVENT_TYPES = [
  'lead.mql',
  'lead.assigned',
  'lead.accepted',
  'lead.sql',
  'lead.recycled',
  'lead.disqualified',
  'lead.nurture',
  'lead.reopened',
  'lead.touched',
  'sla.warning',
  'sla.breached',
  'sla.escalated',
  'outcome.recorded',
  'contact.erased',
  'contact.merged',
  'contact.unmerged',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only to the endpoint a user tests, whatever it subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';
type MessageType = WebhookEventType | typeof TEST_EVENT_TYPE;

/**
 * The outbox: records that `type` happened, in the caller's transaction, so the message exists exactly when the
 * change it announces was committed. One delivery row is made per enabled endpoint of the workspace that
 * subscribed to `type` (an empty subscription means every type); the webhook worker sends them.
 * `now` (epoch ms) is when the event happened and becomes the body's `timestamp`.
 */
export async function enqueueWebhook(
  trx: Db,
  workspaceId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
  now: number,
): Promise<void> {
  await enqueueWebhooks(trx, workspaceId, [{ type, data }], now);
}

export type MessageTarget = { kind: 'subscribers' } | { kind: 'endpoint'; endpointId: string };

/**
 * Writes a message and its deliveries in one statement, and no message at all when no endpoint wants it (most
 * state changes in a workspace without webhooks). The body is stored as jsonb, whose text form is canonical,
 * so every attempt and every replay sends the same bytes (see claimDueDeliveries).
 */
export async function writeWebhookMessage(
  db: Db,
  workspaceId: string,
  type: MessageType,
  data: Record<string, unknown>,
  now: number,
  target: MessageTarget,
): Promise<{ messageId: string; deliveryIds: number[] }> {
  const messageId = `msg_${randomBytes(18).toString('base64url')}`;
  const at = new Date(now).toISOString();
  const body = JSON.stringify({ type, timestamp: at, data });
  const wanted =
    target.kind === 'endpoint'
      ? sql`id = ${target.endpointId}::uuid`
      : sql`(cardinality(event_types) = 0 or ${type} = any(event_types))`;
  const result = await sql<{ id: number }>`
    with targets as (
      select id from webhook_endpoints where workspace_id = ${workspaceId}::uuid and enabled and ${wanted}
    ), message as (
      insert into webhook_messages (workspace_id, id, type, payload, created_at)
      select ${workspaceId}::uuid, ${messageId}, ${type}, ${body}::jsonb, ${at}::timestamptz
      where exists (select 1 from targets)
      returning id
    )
    insert into webhook_deliveries (workspace_id, message_id, endpoint_id, next_attempt_at)
    select ${workspaceId}::uuid, message.id, targets.id, ${at}::timestamptz from message cross join targets
    returning id`.execute(db);
  return { messageId, deliveryIds: result.rows.map((row) => row.id) };
}

/** Checks a subscription list: known types only, duplicates dropped; empty means every type. */
export function parseEventTypes(input: readonly string[]): Result<WebhookEventType[], string> {
  const known = new Set<string>(WEBHOOK_EVENT_TYPES);
  const unknown = input.filter((type) => !known.has(type));
  if (unknown.length > 0) {
    return err(
      `unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.map((type) => `\`${type}\``).join(', ')}; ` +
        `use any of ${WEBHOOK_EVENT_TYPES.join(', ')}, or an empty list for every type`,
    );
  }
  return ok(WEBHOOK_EVENT_TYPES.filter((type) => input.includes(type)));
}
