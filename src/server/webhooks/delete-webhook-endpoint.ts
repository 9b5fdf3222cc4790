import { sql } from 'kysely';
import type { Db } from '../db/open-database.ts';

/**
 * Removes an endpoint with its deliveries, pending ones included, so nothing more is sent to it.
 * Returns false when there was no such endpoint.
 */
export async function deleteWebhookEndpoint(db: Db, workspaceId: string, endpointId: string): Promise<boolean> {
  const result = await sql<{ id: string }>`
    with deleted as (
      delete from webhook_endpoints where workspace_id = ${workspaceId}::uuid and id = ${endpointId}::uuid
      returning id
    ), deliveries as (
      delete from webhook_deliveries
      where workspace_id = ${workspaceId}::uuid and endpoint_id in (select id from deleted)
    )
    select id from deleted`.execute(db);
  return result.rows.length > 0;
}
