import { sql } from 'kysely';
import { assertUnreachable } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';

/** What one attempt (or the refusal to make one) means for the delivery and its endpoint. */
export type DeliveryVerdict =
  | { kind: 'delivered'; at: number; status: number }
  | { kind: 'retry'; at: number; status: number | null; error: string; nextAttemptAt: number }
  /** Gave up: the next attempt would fall more than 3 days after the first. */
  | { kind: 'gave-up'; at: number; status: number | null; error: string }
  | { kind: 'gone'; at: number }
  /** Not sent at all (endpoint disabled or deleted); not counted as an attempt. */
  | { kind: 'not-sent'; error: string };

export interface DeliveryRef {
  workspaceId: string;
  id: number;
  endpointId: string;
  /** Epoch ms of this message's first attempt to this endpoint (this attempt, if it was the first). */
  firstAttemptAt: number;
}

/**
 * Stores a verdict: the delivery's new state, and the endpoint's health. `failing_since` marks when an endpoint
 * started failing and is cleared by any success; an endpoint is disabled when it answers 410 Gone, or when a
 * message gives up and the endpoint has not accepted anything since that message's first attempt.
 */
export async function recordDeliveryOutcome(db: Db, delivery: DeliveryRef, verdict: DeliveryVerdict): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const pending = trx
      .updateTable('webhook_deliveries')
      .where('workspace_id', '=', delivery.workspaceId)
      .where('id', '=', delivery.id)
      .where('status', '=', 'pending');
    const endpoint = trx
      .updateTable('webhook_endpoints')
      .where('workspace_id', '=', delivery.workspaceId)
      .where('id', '=', delivery.endpointId);
    if (verdict.kind === 'not-sent') {
      await pending.set({ status: 'failed', last_error: verdict.error, next_attempt_at: null }).execute();
      return;
    }
    const at = new Date(verdict.at);
    const attempt = {
      attempts: sql<number>`attempts + 1`,
      first_attempt_at: new Date(delivery.firstAttemptAt),
      last_attempt_at: at,
    };
    switch (verdict.kind) {
      case 'delivered':
        await pending
          .set({
            ...attempt,
            status: 'delivered',
            last_status: verdict.status,
            last_error: null,
            delivered_at: at,
            next_attempt_at: null,
          })
          .execute();
        await endpoint.set({ failing_since: null }).where('failing_since', 'is not', null).execute();
        return;
      case 'retry':
        await pending
          .set({
            ...attempt,
            last_status: verdict.status,
            last_error: verdict.error,
            next_attempt_at: new Date(verdict.nextAttemptAt),
          })
          .execute();
        await endpoint.set({ failing_since: at }).where('failing_since', 'is', null).execute();
        return;
      case 'gave-up':
        await pending
          .set({
            ...attempt,
            status: 'failed',
            last_status: verdict.status,
            last_error: verdict.error,
            next_attempt_at: null,
          })
          .execute();
        await endpoint
          .set({ enabled: false, disabled_reason: gaveUpReason(delivery), updated_at: at })
          .where('enabled', '=', true)
          .where('failing_since', '<=', new Date(delivery.firstAttemptAt))
          .execute();
        return;
      case 'gone':
        await pending
          .set({ ...attempt, status: 'gone', last_status: 410, last_error: 'answered 410 Gone', next_attempt_at: null })
          .execute();
        await endpoint
          .set({ enabled: false, disabled_reason: goneReason(delivery, at), updated_at: at })
          .where('enabled', '=', true)
          .execute();
        return;
      default:
        assertUnreachable(verdict);
    }
  });
}

function reEnableHint(endpointId: string): string {
  return `re-enable it with PATCH /api/webhooks/${endpointId} {"enabled": true} and replay the deliveries it missed`;
}

function gaveUpReason(delivery: DeliveryRef): string {
  return `every delivery failed for 3 days (since ${new Date(delivery.firstAttemptAt).toISOString()}); fix the receiver, then ${reEnableHint(delivery.endpointId)}`;
}

function goneReason(delivery: DeliveryRef, at: Date): string {
  return `the endpoint answered 410 Gone at ${at.toISOString()}; once it accepts webhooks again, ${reEnableHint(delivery.endpointId)}`;
}
