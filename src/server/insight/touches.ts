import { type RawBuilder, sql } from 'kysely';
import { CHANNEL_MEDIUMS, SEARCH_ENGINES, SOCIAL_DOMAINS, TAGGED_CHANNELS } from '../../core/insight/channels.ts';
import { assertUnreachable } from '../../core/result.ts';
import { type ContactRange, inRange } from './lead-facts.ts';

/**
 * A touch is an event that says where a visit came from: UTM parameters (the snippet and
 * CSV imports put them in `properties`), a campaign context (Segment libraries' `context.campaign`),
 * or a referrer on another site than the page's own (`properties.referrer`, or Segment's
 * `context.page.referrer`). Written word for word as migration 0015's index predicate, so that
 * the planner can read touches from that index: keep the two identical.
 */
export const IS_TOUCH = sql<boolean>`(e.contact_id is not null and (
  e.properties ?| array['utm_source', 'utm_medium', 'utm_campaign'] or e.context ? 'campaign'
  or split_part(coalesce(nullif(e.properties->>'referrer', ''), e.context->'page'->>'referrer'), '/', 3)
    not in ('', split_part(coalesce(e.properties->>'url', e.context->'page'->>'url', ''), '/', 3))))`;

const REFERRER = sql`coalesce(nullif(e.properties->>'referrer', ''), e.context->'page'->>'referrer')`;
const PAGE_URL = sql`coalesce(e.properties->>'url', e.context->'page'->>'url', '')`;

/** utm_* first, else the campaign context's field; trimmed, null when empty. */
function tagged(utm: string, campaign: string) {
  return sql`nullif(btrim(coalesce(nullif(e.properties->>${utm}, ''), e.context->'campaign'->>${campaign})), '')`;
}

/** What a touch event `e` says about its origin: its tags, and the referring host when another site's (without `www.`). */
const TOUCH_ORIGIN = sql`
  ${tagged('utm_source', 'source')} as tagged_source,
  ${tagged('utm_medium', 'medium')} as medium,
  ${tagged('utm_campaign', 'name')} as campaign,
  case when split_part(${REFERRER}, '/', 3) not in ('', split_part(${PAGE_URL}, '/', 3))
    then nullif(regexp_replace(lower(substring(${REFERRER} from '^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/?#]*@)?([^/:?#]+)')),
      '^www\\.', ''), '')
  end as referrer_host`;

export type Touch = 'first' | 'last';

/** How `touchCtes` reads touches. */
export interface TouchOptions {
  amongLeads?: boolean;
  keep?: boolean;
  range?: ContactRange;
}

/**
 * Each contact's first touch (its earliest) or last touch (the latest up to its first move into
 * `mql`; for a contact that never became an MQL, its latest), as contact, time and event id:
 * an index-only scan of migration 0015's index, in its order, so ties in time go to the event
 * stored first (last touch: stored last) and both databases agree. The last touch reads first
 * MQL moves from the funnel facts kept on the contacts (migration 0019), in a list of its own:
 * taken from the `leads` CTE, they would make PostgreSQL write all of the leads down first.
 */
function touchIds(workspaceId: string, touch: Touch, among: RawBuilder<unknown>): RawBuilder<unknown> {
  switch (touch) {
    case 'first':
      return sql`select distinct on (e.contact_id) e.contact_id, e.occurred_at, e.id
        from events e
        where e.workspace_id = ${workspaceId} and ${IS_TOUCH} ${among}
        order by e.contact_id, e.occurred_at, e.id`;
    case 'last':
      return sql`select distinct on (e.contact_id) e.contact_id, e.occurred_at, e.id
        from events e left join lead_mqls h on h.contact_id = e.contact_id
        where e.workspace_id = ${workspaceId} and ${IS_TOUCH} ${among}
          and (h.first_mql_at is null or e.occurred_at <= h.first_mql_at)
        order by e.contact_id desc, e.occurred_at desc, e.id desc`;
    default:
      return assertUnreachable(touch);
  }
}

/**
 * The `with` list that ends in `touches`: each contact's first or last touch with its origin
 * (`contact_id, tagged_source, medium, campaign, referrer_host`). Origins come from
 * `touch_origins` (migration 0015), matched on the touch's contact and event (migration 0018:
 * a slice of contacts reads only its own origins, by an index). Those not kept yet, or kept
 * under another contact before their event moved (identification, merges), are read from their
 * events, and with `keep` written there (with their contact now) for the next report (a statement whose `with` is nested in another
 * cannot write: the leads behind a figure only read). With `amongLeads`, only the contacts of
 * the `leads` CTE are looked up, one by one: for a few leads (the won ones); a whole cohort is
 * cheaper to read in one pass. With `range`, only the contacts of that slice (lead-facts.ts).
 */
export function touchCtes(workspaceId: string, touch: Touch, options: TouchOptions = {}): RawBuilder<unknown> {
  const among = sql`${options.amongLeads ? sql`and e.contact_id in (select contact_id from leads)` : sql``}
    ${inRange(sql`e.contact_id`, options.range, 'index')}`;
  const keep = options.keep
    ? sql`touch_kept as (
        insert into touch_origins (workspace_id, event_id, message_id, contact_id, tagged_source, medium, campaign, referrer_host)
        select ${workspaceId}, id, message_id, contact_id, tagged_source, medium, campaign, referrer_host from touch_read
        on conflict (workspace_id, event_id) do update set contact_id = excluded.contact_id
      ),`
    : sql``;
  const pick = (column: string) =>
    sql`case when k.kept then k.${sql.ref(column)} else r.${sql.ref(column)} end as ${sql.ref(column)}`;
  const mqls =
    touch === 'last'
      ? sql`lead_mqls as materialized (
          select c.id as contact_id, c.funnel_first_mql_at as first_mql_at
          from contacts c
          where c.workspace_id = ${workspaceId} and c.funnel_first_mql_at is not null
            ${inRange(sql`c.id`, options.range, 'scan')}
        ),`
      : sql``;
  return sql`${mqls}
    touch_ids as not materialized (${touchIds(workspaceId, touch, among)}),
    touch_known as materialized (
      select f.contact_id, f.occurred_at, f.id, o.event_id is not null as kept,
        o.tagged_source, o.medium, o.campaign, o.referrer_host
      from touch_ids f left join touch_origins o on o.workspace_id = ${workspaceId}
        and o.contact_id = f.contact_id and o.event_id = f.id ${inRange(sql`o.contact_id`, options.range, 'index')}
    ),
    touch_read as materialized (
      select e.id, e.message_id, e.contact_id, ${TOUCH_ORIGIN}
      from touch_known k
      join events e on e.workspace_id = ${workspaceId} and e.contact_id = k.contact_id
        and e.occurred_at = k.occurred_at and e.id = k.id
      where not k.kept and ${IS_TOUCH}
    ),
    ${keep}
    touches as (
      select k.contact_id, ${sql.join(['tagged_source', 'medium', 'campaign', 'referrer_host'].map(pick))}
      from touch_known k left join touch_read r on r.id = k.id
    )`;
}

/**
 * Each contact's first or last touch with its origin (`contact_id, tagged_source, medium,
 * campaign, referrer_host`), as one subquery reading the events themselves, for the contacts
 * of a `leads` CTE with a `contact_id` column (and `first_mql_at` for the last touch). For a
 * few contacts; the reports read whole cohorts through `touchCtes`.
 */
export function touchesOf(workspaceId: string, touch: Touch): RawBuilder<unknown> {
  switch (touch) {
    case 'first':
      return sql`
        select distinct on (e.contact_id) e.contact_id, ${TOUCH_ORIGIN}
        from events e
        where e.workspace_id = ${workspaceId} and ${IS_TOUCH} and e.contact_id in (select contact_id from leads)
        order by e.contact_id, e.occurred_at, e.id`;
    case 'last':
      return sql`
        select distinct on (e.contact_id) e.contact_id, ${TOUCH_ORIGIN}
        from events e join leads l on l.contact_id = e.contact_id
        where e.workspace_id = ${workspaceId} and ${IS_TOUCH}
          and (l.first_mql_at is null or e.occurred_at <= l.first_mql_at)
        order by e.contact_id, e.occurred_at desc, e.id desc`;
    default:
      return assertUnreachable(touch);
  }
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
