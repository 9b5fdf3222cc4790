import { err, ok, type Result } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { TEST_EVENT_TYPE, writeWebhookMessage } from './enqueue-webhook.ts';

export type TestWebhookError = { kind: 'not-found' | 'endpoint-disabled'; message: string };

/**
 * Puts a `webhook.test` message for one endpoint in the outbox, whatever event types it subscribed to, so a
 * user can check their receiver and its signature verification end to end.
 */
export async function sendTestWebhook(
  db: Db,
  workspaceId: string,
  endpointId: string,
  now: number,
): Promise<Result<{ messageId: string; deliveryId: number }, TestWebhookError>> {
  const endpoint = await db
    .selectFrom('webhook_endpoints')
    .select('enabled')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', endpointId)
    .executeTakeFirst();
  if (!endpoint) return err({ kind: 'not-found', message: `no webhook endpoint with id ${endpointId}` });
  const written = endpoint.enabled
    ? await writeWebhookMessage(
        db,
        workspaceId,
        TEST_EVENT_TYPE,
        { endpointId, message: 'a test message from Ripen; nothing changed' },
        now,
        { kind: 'endpoint', endpointId },
      )
    : null;
  const deliveryId = written?.deliveryIds[0];
  if (written === null || deliveryId === undefined) {
    return err({
      kind: 'endpoint-disabled',
      message: `webhook endpoint ${endpointId} is disabled; re-enable it with PATCH /api/webhooks/${endpointId} {"enabled": true} first`,
    });
  }
  return ok({ messageId: written.messageId, deliveryId });
}
