import type { Db } from '../db/open-database.ts';

/** The `whsec_…` signing secret of an endpoint, or null when there is no such endpoint. */
export async function findWebhookSecret(db: Db, workspaceId: string, endpointId: string): Promise<string | null> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select('secret')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', endpointId)
    .executeTakeFirst();
  return row?.secret ?? null;
}
