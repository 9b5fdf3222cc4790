import { type Kysely, sql } from 'kysely';

/**
 * Two changes that make the writes done for every event cheaper
 * (docs/decisions/0007-high-volume-writes.md):
 *
 * - `events` is keyed by (workspace, message id), the unique index every insert already
 *   maintains. The old key on the generated `id` was a fourth index written per event; `id`
 *   stays as the timeline's tie-breaker.
 * - `contacts` keeps 15 % of each page free. A contact is updated several times a minute while
 *   the lead is active; an update that changes no indexed column (traits, engagement state)
 *   then stays on its page and writes none of the table's seven indexes (a heap-only tuple).
 *   This applies to pages written from now on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table events drop constraint events_pkey`.execute(db);
  await sql`alter table events add constraint events_pkey primary key using index events_message_id`.execute(db);
  await sql`alter table contacts set (fillfactor = 85)`.execute(db);
}
