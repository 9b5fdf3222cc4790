import { type RawBuilder, sql } from 'kysely';
import { CHANNEL_MEDIUMS, SEARCH_ENGINES, SOCIAL_DOMAINS, TAGGED_CHANNELS } from '../../core/insight/channels.ts';
import { type ContactRange, inRange } from './lead-facts.ts';

/**
 * A touch is an event that says where a visit came from: UTM parameters (the snippet and
 * CSV imports put them in `properties`), a campaign context (Segment libraries' `context.campaign`),
 * or a referrer on another site than the page's own (`properties.referrer`, or Segment's
 * `context.page.referrer`). Written word for word as migration 0015's index predicate, so that
 * the planner can read touches from that index (as migration 0020's triggers do when they work
 * a contact's touches out again): keep them identical.
 */
export const IS_TOUCH = sql<boolean>`(e.contact_id is not null and (
  e.properties ?| array['utm_source', 'utm_medium', 'utm_campaign'] or e.context ? 'campaign'
  or split_part(coalesce(nullif(e.properties->>'referrer', ''), e.context->'page'->>'referrer'), '/', 3)
    not in ('', split_part(coalesce(e.properties->>'url', e.context->'page'->>'url', ''), '/', 3))))`;

export type Touch = 'first' | 'last';

/** Which contacts `touchesOf` reads touches for. */
export interface TouchOptions {
  /** Only the contacts of the `leads` CTE, by key: for a few leads (the won ones). */
  amongLeads?: boolean;
  /** Only the contacts in this slice (lead-facts.ts), read by a scan. */
  range?: ContactRange;
}

/**
 * Each contact's first touch (its earliest) or last touch (the latest up to its first move into
 * `mql`; for a contact that never became an MQL, its latest), with its origin (`contact_id,
 * tagged_source, medium, campaign, referrer_host`), as one subquery: triggers keep both on the
 * contact's row of `contact_touches` as its events come (migration 0020), so a whole cohort's
 * touches are one pass over that table. A contact without a touch has no row, or one of nulls.
 */
export function touchesOf(workspaceId: string, touch: Touch, options: TouchOptions = {}): RawBuilder<unknown> {
  const column = (name: string) => sql`t.${sql.ref(`${touch}_${name}`)} as ${sql.ref(name)}`;
  return sql`select t.contact_id, ${sql.join(['tagged_source', 'medium', 'campaign', 'referrer_host'].map(column))}
    from contact_touches t
    where t.workspace_id = ${workspaceId}
      ${options.amongLeads ? sql`and t.contact_id in (select contact_id from leads)` : sql``}
      ${inRange(sql`t.contact_id`, options.range, 'scan')}`;
}

/** `touches`, `touchesOf` as a common table expression for a `with` list. */
export function touchesCte(workspaceId: string, touch: Touch, options: TouchOptions = {}): RawBuilder<unknown> {
  return sql`touches as (${touchesOf(workspaceId, touch, options)})`;
}

/** The source label over a touch `t`: as core/insight/channels.ts `sourceOf`. */
export const SOURCE_LABEL = sql<string>`coalesce(lower(t.tagged_source), t.referrer_host, 'direct')`;

/** The campaign label over a touch `t`: lower-cased, `none` without one. */
export const CAMPAIGN_LABEL = sql<string>`coalesce(lower(t.campaign), 'none')`;

/** Each UTM medium's channel, as one JSON object: a single key look-up per touch. */
function mediumChannels(): string {
  return JSON.stringify(
    Object.fromEntries(
      TAGGED_CHANNELS.flatMap((channel) => CHANNEL_MEDIUMS[channel].map((medium) => [medium, channel])),
    ),
  );
}

/**
 * The channel label over a touch `t`: as core/insight/channels.ts `channelOf`, from the same
 * tables. Referring hosts are compared label by label (`string_to_array`): the regular
 * expressions this replaced cost 2 s per million touches.
 */
export function channelLabel(): RawBuilder<string> {
  const labels = sql`string_to_array(t.referrer_host, '.')`;
  return sql<string>`case
    when t.medium is not null then coalesce(${mediumChannels()}::jsonb ->> lower(t.medium), 'other')
    when t.tagged_source is not null then 'other'
    when t.referrer_host is null then 'direct'
    when (${labels})[1:cardinality(${labels}) - 1] && ${[...SEARCH_ENGINES]}::text[] then 'organic'
    when array_to_string((${labels})[cardinality(${labels}) - 1:], '.') = any(${[...SOCIAL_DOMAINS]}::text[]) then 'social'
    else 'referral'
  end`;
}
