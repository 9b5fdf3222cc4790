import { type Kysely, sql } from 'kysely';

/**
 * Keeps the contacts table narrow, so that reading many contacts (the lead list's text search
 * and the grade × temperature matrix over it, at 100,000 contacts and more) reads few pages:
 * - each contact's engagement state (the counted contributions per rule, about 1 KB, which
 *   scoring alone reads) moves to `contact_engagement`; a contact without a row has the empty
 *   state. No foreign key: scoring writes states only for contacts it holds locked, and a
 *   check per written state cost about a tenth of PGlite's ingestion rate; erasing a
 *   contact deletes its state;
 * - the searched text is stored once, lower-cased (`search_text`), with its trigram index:
 *   a search is `search_text like lower(pattern)`, a byte comparison, where `ilike` over the
 *   joined columns folded case and joined them again for every candidate row.
 * Adding the stored column rewrites the table, which also drops the moved state's bytes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table contact_engagement (
      workspace_id uuid not null,
      contact_id uuid not null,
      state jsonb not null,
      primary key (workspace_id, contact_id)
    )`.execute(db);
  await sql`
    insert into contact_engagement (workspace_id, contact_id, state)
    select workspace_id, id, engagement_state from contacts where engagement_state <> '{"rules": {}}'::jsonb`.execute(
    db,
  );
  await sql`drop index contacts_text`.execute(db);
  await sql`alter table contacts drop column engagement_state`.execute(db);
  await sql`
    alter table contacts add column search_text text generated always as (lower(
      coalesce(email, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' ||
      coalesce(job_title, '') || ' ' || coalesce(user_id, '')
    )) stored`.execute(db);
  await sql`create index contacts_search_text on contacts using gin (search_text gin_trgm_ops)`.execute(db);
}
