import { type Kysely, sql } from 'kysely';

/**
 * The two tables written once per event, `events` and `score_queue`, no longer reference
 * `workspaces` by foreign key: the check ran once per inserted row and cost a fifth of the
 * events insert on PGlite (docs/decisions/0007-high-volume-writes.md). Every row still
 * carries its workspace id, which only ever comes from an authenticated key's workspace.
 */
const STATEMENTS = `
    alter table events drop constraint if exists events_workspace_id_fkey;
    alter table score_queue drop constraint if exists score_queue_workspace_id_fkey
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS.split(/;\s*\n/)) {
    if (statement.trim() !== '') await sql.raw(statement).execute(db);
  }
}
