import { type Kysely, sql } from 'kysely';

/**
 * Indexes that keep the web app's answers within 150 ms at 100,000 contacts
 * (docs/benchmarks.md, "the web app at 100,000 contacts"); without them each of these read
 * every contact, or every stage move or hand-off:
 *
 * - text search: one trigram index over the searched columns joined by spaces, which
 *   `ilike '%term%'` uses (`pg_trgm` ships with PostgreSQL and, as an extension the database
 *   is opened with, with PGlite);
 * - the list by last change (`sort=updated`);
 * - the grade × temperature matrix, whole or for one stage, and the home page's stage counts,
 *   counted from an index alone;
 * - the home page's MQLs of the last two weeks and where each first came from (the earliest
 *   event with a UTM or campaign source: tagged events are a few percent of all), and the SLA
 *   of hand-offs due in the last seven days.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`
    create index contacts_text on contacts using gin ((
      coalesce(email, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' ||
      coalesce(job_title, '') || ' ' || coalesce(user_id, '')
    ) gin_trgm_ops)`.execute(db);
  await sql`create index contacts_by_updated on contacts (workspace_id, updated_at desc, id)`.execute(db);
  await sql`create index contacts_by_cell on contacts (workspace_id, stage, grade, temperature)`.execute(db);
  await sql`
    create index stage_history_by_stage_and_time on stage_history (workspace_id, to_stage, at)
    include (contact_id)`.execute(db);
  await sql`
    create index events_tagged_by_contact on events (workspace_id, contact_id, occurred_at)
    where contact_id is not null and (properties ? 'utm_source' or context ? 'campaign')`.execute(db);
  await sql`
    create index handoffs_by_due on handoffs (workspace_id, due_at)
    include (owner, first_touch_at, breached_at)`.execute(db);
}
