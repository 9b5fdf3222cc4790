import { type Kysely, sql } from 'kysely';

/**
 * The websites a public write key may send events from (empty: any, as for server-side
 * senders), and the language a person picked for the web app (null: their browser's).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table api_keys add column allowed_origins text[] not null default '{}'`.execute(db);
  await sql`alter table users add column language text`.execute(db);
}
