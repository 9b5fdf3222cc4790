import type { Db } from '../../../src/server/db/open-database.ts';

/** Bare contacts (no email, traits or stage times), one per creation time; their ids in that order. */
export async function insertContacts(db: Db, workspaceId: string, createdAt: readonly Date[]): Promise<string[]> {
  const ids: string[] = [];
  for (const created of createdAt) {
    const row = await db
      .insertInto('contacts')
      .values({ workspace_id: workspaceId, email: null, properties: '{}', stage_entered_at: '{}', created_at: created })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return ids;
}
