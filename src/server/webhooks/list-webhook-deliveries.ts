import type { Db } from '../db/open-database.ts';
import type { DeliveryStatus } from '../db/schema.ts';
import { decodeCursor, toPage } from '../http/cursor.ts';
import { toDeliveryView, type WebhookDeliveryView } from './webhook-views.ts';

export interface DeliveryFilters {
  status?: DeliveryStatus;
  cursor?: string;
  limit?: number;
}

/** Deliveries with their message's type, for one workspace. */
export function selectDeliveries(db: Db, workspaceId: string) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_messages as m', (join) =>
      join.onRef('m.workspace_id', '=', 'd.workspace_id').onRef('m.id', '=', 'd.message_id'),
    )
    .select([
      'd.id',
      'd.message_id',
      'm.type',
      'd.status',
      'd.attempts',
      'd.next_attempt_at',
      'd.first_attempt_at',
      'd.last_attempt_at',
      'd.last_status',
      'd.last_error',
      'd.delivered_at',
      'd.created_at',
    ])
    .where('d.workspace_id', '=', workspaceId);
}

/** An endpoint's deliveries, newest first, in keyset pages; null when there is no such endpoint. */
export async function listWebhookDeliveries(
  db: Db,
  workspaceId: string,
  endpointId: string,
  filters: DeliveryFilters,
): Promise<{ items: WebhookDeliveryView[]; nextCursor: string | null } | null> {
  const endpoint = await db
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', endpointId)
    .executeTakeFirst();
  if (!endpoint) return null;
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), 500);
  let query = selectDeliveries(db, workspaceId).where('d.endpoint_id', '=', endpointId);
  if (filters.status) query = query.where('d.status', '=', filters.status);
  if (filters.cursor) {
    const [id] = decodeCursor(filters.cursor, 1);
    if (typeof id !== 'number') decodeCursor('', 1);
    query = query.where('d.id', '<', Number(id));
  }
  const rows = await query
    .orderBy('d.id', 'desc')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, (row) => [row.id], toDeliveryView);
}
