import { type Kysely, sql } from 'kysely';

/**
 * Drops migration 0008's `events_tagged_by_contact`, the home page's first index of tagged
 * events. The home page's "MQLs by source" now reads first touches as the funnel reports do,
 * from migration 0015's `events_touches`, and no statement repeats the old index's predicate:
 * ingestion maintains one partial index of touches instead of two.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists events_tagged_by_contact`.execute(db);
}
