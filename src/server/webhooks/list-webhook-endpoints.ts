import type { Db } from '../db/open-database.ts';
import { ENDPOINT_COLUMNS, toEndpointView, type WebhookEndpointView } from './webhook-views.ts';

/** A workspace's endpoints, oldest first, without their secrets. */
export async function listWebhookEndpoints(db: Db, workspaceId: string): Promise<WebhookEndpointView[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(ENDPOINT_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toEndpointView);
}
