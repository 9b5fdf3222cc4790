import { type Kysely, sql } from 'kysely';

/**
 * What the funnel reports' first and last touches read (docs/decisions/0015-insight-queries.md):
 *
 * - `events_touches`: each contact's touches — the events that say where a visit came from
 *   (UTM parameters, a campaign context, or a referrer on another site than the page's own) —
 *   in time order, ties by id. Touches are a small share of all events (landings, not every page
 *   view), so the index is small; a report finds each lead's first or last touch in it with an
 *   index-only scan, never reading the events themselves. The predicate is `IS_TOUCH` of
 *   server/insight/touches.ts, word for word: the planner uses a partial index only for queries
 *   that repeat its condition.
 * - `touch_origins`: what such a touch says (its tagged source, medium and campaign, and the
 *   referring host), by event id, written by the reports the first time they need it. Events
 *   never change but for the contact they belong to, which the reports read from the index, so
 *   an origin is never stale; it goes with its event (erasure, retention) by the foreign key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index events_touches on events (workspace_id, contact_id, occurred_at, id)
    where (contact_id is not null and (
      properties ?| array['utm_source', 'utm_medium', 'utm_campaign'] or context ? 'campaign'
      or split_part(coalesce(nullif(properties->>'referrer', ''), context->'page'->>'referrer'), '/', 3)
        not in ('', split_part(coalesce(properties->>'url', context->'page'->>'url', ''), '/', 3))))`.execute(db);
  await sql`
    create table touch_origins (
      workspace_id uuid not null,
      event_id bigint not null,
      message_id text not null,
      tagged_source text,
      medium text,
      campaign text,
      referrer_host text,
      primary key (workspace_id, event_id),
      foreign key (workspace_id, message_id) references events (workspace_id, message_id) on delete cascade
    )`.execute(db);
  await sql`create index touch_origins_by_message on touch_origins (workspace_id, message_id)`.execute(db);
}
