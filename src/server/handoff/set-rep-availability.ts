import type { Db } from '../db/open-database.ts';

/** Marks a rep available or away; routing and reassignment skip reps who are away. */
export async function setRepAvailability(
  db: Db,
  workspaceId: string,
  repId: string,
  available: boolean,
  until: number | null,
): Promise<void> {
  const row = {
    workspace_id: workspaceId,
    rep_id: repId,
    available,
    until: until === null ? null : new Date(until),
    updated_at: new Date(),
  };
  await db
    .insertInto('rep_availability')
    .values(row)
    .onConflict((conflict) =>
      conflict
        .columns(['workspace_id', 'rep_id'])
        .doUpdateSet({ available, until: row.until, updated_at: row.updated_at }),
    )
    .execute();
}
