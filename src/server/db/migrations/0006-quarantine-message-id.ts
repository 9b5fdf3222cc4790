import { type Kysely, sql } from 'kysely';

/**
 * Quarantined items keep the message id their sender gave, unique per workspace: a client
 * that resends a batch after losing the answer (a crash, a dropped connection) must not
 * quarantine its invalid items twice, as stored events are not stored twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table quarantine add column message_id text`.execute(db);
  await sql`create unique index quarantine_message_id on quarantine (workspace_id, message_id) where message_id is not null`.execute(
    db,
  );
}
