import { sql } from 'kysely';
import type { Db } from '../db/open-database.ts';

/** A delivery taken for one attempt, with what is needed to send it. */
export interface ClaimedDelivery {
  workspaceId: string;
  id: number;
  messageId: string;
  endpointId: string;
  /** Attempts made before this one. */
  attempts: number;
  firstAttemptAt: number | null;
  /** Null when the endpoint was deleted after the delivery was claimed. */
  endpoint: { url: string; secret: string; enabled: boolean; disabledReason: string | null } | null;
  /** The exact body bytes, the same on every attempt; null only if the message row is missing. */
  body: string | null;
}

interface ClaimedRow {
  workspace_id: string;
  id: number;
  message_id: string;
  endpoint_id: string;
  attempts: number;
  first_attempt_at: Date | null;
  url: string | null;
  secret: string | null;
  enabled: boolean | null;
  disabled_reason: string | null;
  body: string | null;
}

/**
 * Takes up to `limit` pending deliveries that are due at `now` and leases them until `leaseUntil` in the same
 * statement, which commits on its own: no transaction stays open while the worker waits on receivers. SKIP
 * LOCKED and the lease let any number of workers share the queue without sending a delivery twice; if a worker
 * dies mid-attempt, the delivery is due again when the lease runs out.
 */
export async function claimDueDeliveries(
  db: Db,
  now: number,
  leaseUntil: number,
  limit: number,
): Promise<ClaimedDelivery[]> {
  const result = await sql<ClaimedRow>`
    with due as (
      select workspace_id, id from webhook_deliveries
      where status = 'pending' and next_attempt_at <= ${new Date(now).toISOString()}::timestamptz
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    ), claimed as (
      update webhook_deliveries d set next_attempt_at = ${new Date(leaseUntil).toISOString()}::timestamptz
      from due where d.workspace_id = due.workspace_id and d.id = due.id
      returning d.workspace_id, d.id, d.message_id, d.endpoint_id, d.attempts, d.first_attempt_at
    )
    select c.workspace_id, c.id, c.message_id, c.endpoint_id, c.attempts, c.first_attempt_at,
      e.url, e.secret, e.enabled, e.disabled_reason, m.payload::text as body
    from claimed c
    left join webhook_endpoints e on e.workspace_id = c.workspace_id and e.id = c.endpoint_id
    left join webhook_messages m on m.workspace_id = c.workspace_id and m.id = c.message_id`.execute(db);
  return result.rows.map((row) => ({
    workspaceId: row.workspace_id,
    id: row.id,
    messageId: row.message_id,
    endpointId: row.endpoint_id,
    attempts: row.attempts,
    firstAttemptAt: row.first_attempt_at?.getTime() ?? null,
    endpoint:
      row.url === null || row.secret === null
        ? null
        : { url: row.url, secret: row.secret, enabled: row.enabled === true, disabledReason: row.disabled_reason },
    body: row.body,
  }));
}
