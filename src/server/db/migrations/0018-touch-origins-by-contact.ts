import { type Kysely, sql } from 'kysely';

/**
 * `touch_origins.contact_id`: the contact a kept touch belonged to when a report last read it,
 * and an index by it that holds the origins, so that a report run in slices of the contacts
 * (insight/lead-facts.ts `executeInParts`) reads only its slice's origins, without their table
 * (docs/decisions/0015-insight-queries.md). It is a hint, never trusted alone: reports match an
 * origin on its event id too, and read an origin whose event has moved to another contact
 * (identification, merges) from the event again, writing the new contact back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table touch_origins add column contact_id uuid`.execute(db);
  await sql`
    update touch_origins o set contact_id = e.contact_id
    from events e
    where e.workspace_id = o.workspace_id and e.message_id = o.message_id`.execute(db);
  await sql`
    create index touch_origins_by_contact on touch_origins (workspace_id, contact_id, event_id)
    include (tagged_source, medium, campaign, referrer_host)`.execute(db);
}
