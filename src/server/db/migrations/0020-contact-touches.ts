import { type Kysely, sql } from 'kysely';

/** A touch: `IS_TOUCH` of insight/touches.ts over an event `e`, word for word (and migration 0015's index predicate). */
const IS_TOUCH = `(e.contact_id is not null and (
  e.properties ?| array['utm_source', 'utm_medium', 'utm_campaign'] or e.context ? 'campaign'
  or split_part(coalesce(nullif(e.properties->>'referrer', ''), e.context->'page'->>'referrer'), '/', 3)
    not in ('', split_part(coalesce(e.properties->>'url', e.context->'page'->>'url', ''), '/', 3))))`;

const REFERRER = `coalesce(nullif(e.properties->>'referrer', ''), e.context->'page'->>'referrer')`;
const PAGE_URL = `coalesce(e.properties->>'url', e.context->'page'->>'url', '')`;

function tagged(utm: string, campaign: string): string {
  return `nullif(btrim(coalesce(nullif(e.properties->>'${utm}', ''), e.context->'campaign'->>'${campaign}')), '')`;
}

/** What a touch `e` says about its origin: `TOUCH_ORIGIN` of insight/touches.ts as it was written. */
const ORIGIN = `
  ${tagged('utm_source', 'source')} as tagged_source,
  ${tagged('utm_medium', 'medium')} as medium,
  ${tagged('utm_campaign', 'name')} as campaign,
  case when split_part(${REFERRER}, '/', 3) not in ('', split_part(${PAGE_URL}, '/', 3))
    then nullif(regexp_replace(lower(substring(${REFERRER} from '^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/?#]*@)?([^/:?#]+)')),
      '^www\\.', ''), '')
  end as referrer_host`;

/** The columns of one touch, as `prefix_…`. */
function touchColumns(prefix: 'first' | 'last'): string {
  return ['at', 'event_id', 'tagged_source', 'medium', 'campaign', 'referrer_host']
    .map((column) => `${prefix}_${column}`)
    .join(', ');
}

/**
 * Each contact's first and last touch with its origin (docs/decisions/0015-insight-queries.md,
 * "Touches on the contact"), kept as its events come, so that a touch split reads one row per
 * lead instead of finding each lead's touch among its events and reading the event:
 *
 * - `first_…`: its earliest touch (ties: the event stored first);
 * - `last_…`: its latest touch up to `mql_at`, its first move into `mql` (`contacts.funnel_first_mql_at`,
 *   copied here so that writers agree on it under this row's lock), or its latest at all before one
 *   (ties: the event stored last);
 *
 * each as its time, event id and origin (tagged source, medium, campaign, referring host), all
 * null without one. Triggers keep them, whatever writes the events or the first MQL move:
 *
 * - events inserted: their touches are folded in (a first touch only gets earlier, a last touch
 *   later) by one upsert per insert, which locks each contact's row. A contact whose first MQL
 *   move was written meanwhile (its `mql_at` here differs from the one the insert read) takes its
 *   last touch from the inserted touches again under the lock. The trigger hands the touches to
 *   `fold_contact_touches` as arrays, because a statement over the trigger's transition table
 *   is planned again on every insert, where the function's is planned once: 0.4 ms instead of
 *   0.9 ms added to an insert of 100 events with 10 touches;
 * - events updated (identification, merges) or deleted (erasure, retention), and a contact's
 *   first MQL move changed: its touches are worked out from its events again
 *   (`refresh_contact_touches`), after locking its row, in a statement of their own that sees
 *   every insert committed before the lock was granted; the inserts after it fold in on top.
 *
 * Rows go with their contact (foreign key). The origins the reports kept (`touch_origins`,
 * migrations 0015 and 0018) are dropped: nothing reads them any more.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table contact_touches (
      workspace_id uuid not null,
      contact_id uuid not null,
      mql_at timestamptz,
      first_at timestamptz,
      first_event_id bigint,
      first_tagged_source text,
      first_medium text,
      first_campaign text,
      first_referrer_host text,
      last_at timestamptz,
      last_event_id bigint,
      last_tagged_source text,
      last_medium text,
      last_campaign text,
      last_referrer_host text,
      primary key (workspace_id, contact_id),
      foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
    )`.execute(db);
  await sql
    .raw(`
    create function refresh_contact_touches(workspace_ids uuid[], contact_ids uuid[]) returns void
    language plpgsql as $$
    begin
      insert into contact_touches (workspace_id, contact_id)
      select c.workspace_id, c.id
      from (select distinct * from unnest(workspace_ids, contact_ids) as k(workspace_id, contact_id)) k
      join contacts c on c.workspace_id = k.workspace_id and c.id = k.contact_id
      order by 1, 2
      on conflict do nothing;
      perform 1 from contact_touches t
      where (t.workspace_id, t.contact_id) in (select * from unnest(workspace_ids, contact_ids))
      order by t.workspace_id, t.contact_id
      for update;
      update contact_touches t
      set mql_at = c.funnel_first_mql_at,
        (${touchColumns('first')}) = (f.occurred_at, f.id, f.tagged_source, f.medium, f.campaign, f.referrer_host),
        (${touchColumns('last')}) = (l.occurred_at, l.id, l.tagged_source, l.medium, l.campaign, l.referrer_host)
      from contacts c
      left join lateral (
        select e.occurred_at, e.id, ${ORIGIN}
        from events e
        where e.workspace_id = c.workspace_id and e.contact_id = c.id and ${IS_TOUCH}
        order by e.occurred_at, e.id limit 1
      ) f on true
      left join lateral (
        select e.occurred_at, e.id, ${ORIGIN}
        from events e
        where e.workspace_id = c.workspace_id and e.contact_id = c.id and ${IS_TOUCH}
          and (c.funnel_first_mql_at is null or e.occurred_at <= c.funnel_first_mql_at)
        order by e.occurred_at desc, e.id desc limit 1
      ) l on true
      where (t.workspace_id, t.contact_id) in (select * from unnest(workspace_ids, contact_ids))
        and c.workspace_id = t.workspace_id and c.id = t.contact_id;
    end $$`)
    .execute(db);
  await sql
    .raw(`
    create function fold_contact_touches(workspace_ids uuid[], contact_ids uuid[], ats timestamptz[], event_ids bigint[],
      tagged_sources text[], mediums text[], campaigns text[], referrer_hosts text[]) returns void
    language plpgsql as $$
    begin
      with n as materialized (
        select e.*, c.funnel_first_mql_at as mql_at
        from unnest(workspace_ids, contact_ids, ats, event_ids, tagged_sources, mediums, campaigns, referrer_hosts)
          as e(workspace_id, contact_id, occurred_at, id, tagged_source, medium, campaign, referrer_host)
        join contacts c on c.workspace_id = e.workspace_id and c.id = e.contact_id
      ),
      firsts as (
        select distinct on (workspace_id, contact_id) * from n
        order by workspace_id, contact_id, occurred_at, id
      ),
      lasts as (
        select distinct on (workspace_id, contact_id) * from n
        where mql_at is null or occurred_at <= mql_at
        order by workspace_id, contact_id, occurred_at desc, id desc
      )
      insert into contact_touches as t (workspace_id, contact_id, mql_at, ${touchColumns('first')}, ${touchColumns('last')})
      select f.workspace_id, f.contact_id, f.mql_at,
        f.occurred_at, f.id, f.tagged_source, f.medium, f.campaign, f.referrer_host,
        l.occurred_at, l.id, l.tagged_source, l.medium, l.campaign, l.referrer_host
      from firsts f left join lasts l on l.workspace_id = f.workspace_id and l.contact_id = f.contact_id
      order by f.workspace_id, f.contact_id
      on conflict (workspace_id, contact_id) do update set
        (${touchColumns('first')}) = (
          select * from (
            select excluded.first_at, excluded.first_event_id, excluded.first_tagged_source, excluded.first_medium,
              excluded.first_campaign, excluded.first_referrer_host
            union all
            select t.first_at, t.first_event_id, t.first_tagged_source, t.first_medium, t.first_campaign,
              t.first_referrer_host
          ) v (at, id) where at is not null order by at, id limit 1),
        (${touchColumns('last')}) = (
          select * from (
            select excluded.last_at, excluded.last_event_id, excluded.last_tagged_source, excluded.last_medium,
              excluded.last_campaign, excluded.last_referrer_host
            where excluded.mql_at is not distinct from t.mql_at
            union all
            select n.occurred_at, n.id, n.tagged_source, n.medium, n.campaign, n.referrer_host
            from n
            where excluded.mql_at is distinct from t.mql_at
              and n.workspace_id = t.workspace_id and n.contact_id = t.contact_id
              and (t.mql_at is null or n.occurred_at <= t.mql_at)
            union all
            select t.last_at, t.last_event_id, t.last_tagged_source, t.last_medium, t.last_campaign,
              t.last_referrer_host
          ) v (at, id) where at is not null order by at desc, id desc limit 1);
    end $$`)
    .execute(db);
  await sql
    .raw(`
    create function keep_contact_touches() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform fold_contact_touches(array_agg(e.workspace_id), array_agg(e.contact_id), array_agg(e.occurred_at),
          array_agg(e.id), array_agg(o.tagged_source), array_agg(o.medium), array_agg(o.campaign),
          array_agg(o.referrer_host))
        from new_rows e cross join lateral (select ${ORIGIN}) o
        where ${IS_TOUCH}
        having count(*) > 0;
      elsif tg_op = 'UPDATE' then
        perform refresh_contact_touches(array_agg(workspace_id), array_agg(contact_id))
        from (
          select e.workspace_id, e.contact_id from old_rows e where ${IS_TOUCH}
          union
          select e.workspace_id, e.contact_id from changed_rows e where ${IS_TOUCH}
        ) moved
        having count(*) > 0;
      else
        perform refresh_contact_touches(array_agg(workspace_id), array_agg(contact_id))
        from (select distinct e.workspace_id, e.contact_id from old_rows e where ${IS_TOUCH}) gone
        having count(*) > 0;
      end if;
      return null;
    end $$`)
    .execute(db);
  await sql`
    create function refresh_contact_last_touch() returns trigger language plpgsql as $$
    begin
      perform refresh_contact_touches(array[new.workspace_id], array[new.id]);
      return null;
    end $$`.execute(db);
  // The contacts with touches or a first MQL move so far, by the same function the triggers use.
  await sql`
    select refresh_contact_touches(array_agg(workspace_id), array_agg(id))
    from contacts c
    where c.funnel_first_mql_at is not null
      or exists (select from events e where e.workspace_id = c.workspace_id and e.contact_id = c.id and ${sql.raw(IS_TOUCH)})`.execute(
    db,
  );
  await sql`
    create trigger events_inserted_contact_touches after insert on events
    referencing new table as new_rows for each statement execute function keep_contact_touches()`.execute(db);
  await sql`
    create trigger events_updated_contact_touches after update on events
    referencing old table as old_rows new table as changed_rows for each statement execute function keep_contact_touches()`.execute(
    db,
  );
  await sql`
    create trigger events_deleted_contact_touches after delete on events
    referencing old table as old_rows for each statement execute function keep_contact_touches()`.execute(db);
  await sql`
    create trigger contacts_inserted_contact_touches after insert on contacts
    for each row when (new.funnel_first_mql_at is not null) execute function refresh_contact_last_touch()`.execute(db);
  await sql`
    create trigger contacts_first_mql_contact_touches after update of funnel_first_mql_at on contacts
    for each row when (old.funnel_first_mql_at is distinct from new.funnel_first_mql_at)
    execute function refresh_contact_last_touch()`.execute(db);
  await sql`drop table touch_origins`.execute(db);
  await sql`analyze contact_touches`.execute(db);
}
