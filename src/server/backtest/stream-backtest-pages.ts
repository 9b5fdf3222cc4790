import { sql } from 'kysely';
import type { LeadHistory, LeadOutcome } from '../../core/backtest/replay-lead.ts';
import type { EngagementEvent } from '../../core/scoring/engagement-state.ts';
import { anyUuid } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { type ScoringRow, scoringSource, scoringSubjects } from '../lifecycle/load-leads.ts';
import { type EventRow, toEngagementEvent } from '../scoring/load-scoring-rows.ts';

type PageRow = ScoringRow & {
  /** Whether it has an event in the period: only then can it qualify, and only then are its events read. */
  active: boolean;
  /** Its outcomes as `[kind, at in ms]` pairs. */
  outcomes: Array<[string, number]> | null;
  /**
   * For an active contact, when its first event that carried an identity happened (ms): an
   * `identify`, a message with a user id, or one with no anonymous id (email, import, server).
   * Events of a visitor before it identified were scored only once it had.
   */
  known_from: number | null;
};

/** What a page reads: events since `since` for contacts with one in `[from, to)`; contexts only if a rule reads them. */
export interface BacktestWindow {
  since: number;
  from: number;
  to: number;
  context: boolean;
}

/**
 * The workspace's contacts in id order, `size` at a time, each with its outcomes and, for those
 * with an event in `[from, to)`, its events since `since` (the look-back before `from`): per page
 * two statements, the second one index scan of `events_by_contact`. While the caller works on one
 * page, the next `ahead` are read: a page's contacts are read as soon as the previous page's are
 * known, so the events of two pages can be read at once, on two connections. Reads only; locks
 * nothing; holds at most `ahead + 1` pages.
 */
export async function* streamBacktestPages(
  db: Db,
  workspaceId: string,
  window: BacktestWindow,
  size: number,
  ahead = 2,
): AsyncGenerator<LeadHistory[]> {
  let contacts: Promise<PageRow[] | null> = loadContacts(db, workspaceId, window, null, size);
  const pages: Array<Promise<LeadHistory[]>> = [];
  const readAhead = () => {
    while (pages.length < ahead) {
      const page = contacts;
      contacts = page.then((rows) => {
        const last = rows?.at(-1)?.id;
        return rows !== null && rows.length === size && last !== undefined
          ? loadContacts(db, workspaceId, window, last, size)
          : null;
      });
      const leads = page.then((rows) => (rows === null ? [] : withEvents(db, workspaceId, window, rows)));
      // Awaited in turn later; should the caller stop first, a failure must not go unhandled.
      contacts.catch(() => undefined);
      leads.catch(() => undefined);
      pages.push(leads);
    }
  };
  for (;;) {
    readAhead();
    const leads = await pages.shift();
    if (leads === undefined || leads.length === 0) return;
    readAhead();
    yield leads;
  }
}

/** `size` contacts after `after` in id order, with their company, whether they are active, and their outcomes. */
async function loadContacts(
  db: Db,
  workspaceId: string,
  window: BacktestWindow,
  after: string | null,
  size: number,
): Promise<PageRow[]> {
  // The stored engagement state is not read: the replay builds its own from the events.
  const source = scoringSource(true);
  const result = await sql<PageRow>`
    select p.*, case when p.active then (
        select floor(extract(epoch from e.occurred_at) * 1000)::bigint from events e
        where e.workspace_id = ${workspaceId} and e.contact_id = p.id
          and (e.type = 'identify' or e.user_id is not null or e.anonymous_id is null)
        order by e.occurred_at limit 1
      ) end as known_from
    from (
      select ${source.columns},
        exists (select 1 from events e where e.workspace_id = c.workspace_id and e.contact_id = c.id
          and e.occurred_at >= ${new Date(window.from)} and e.occurred_at < ${new Date(window.to)}) as active,
        (select json_agg(json_build_array(o.kind, floor(extract(epoch from o.at) * 1000)) order by o.at, o.kind)
          from outcomes o
          where o.workspace_id = c.workspace_id and o.contact_id = c.id) as outcomes
      from ${source.from}
      where c.workspace_id = ${workspaceId} ${after === null ? sql`` : sql`and c.id > ${after}::uuid`}
      order by c.id
      limit ${size}
    ) p
    order by p.id`.execute(db);
  return result.rows;
}

async function withEvents(
  db: Db,
  workspaceId: string,
  window: BacktestWindow,
  rows: readonly PageRow[],
): Promise<LeadHistory[]> {
  const activeIds = rows.filter((row) => row.active).map((row) => row.id);
  const events = await loadEvents(db, workspaceId, activeIds, window);
  return rows.map((row): LeadHistory => {
    // Without an event in the period a contact cannot qualify: its profile is never read.
    const { contact, company } = row.active ? scoringSubjects(row) : { contact: {}, company: null };
    return {
      id: row.id,
      email: row.email,
      name: [row.first_name, row.last_name].filter(Boolean).join(' ') || null,
      contact,
      company,
      predicted: row.predicted,
      knownFrom: row.known_from === null ? null : Number(row.known_from),
      events: events.get(row.id) ?? [],
      outcomes: (row.outcomes ?? []).map(([kind, at]): LeadOutcome => ({ kind, at: Number(at) })),
    };
  });
}

/** The events of these contacts in `[since, to)`, oldest first, grouped by contact. */
async function loadEvents(
  db: Db,
  workspaceId: string,
  contactIds: readonly string[],
  window: BacktestWindow,
): Promise<Map<string, EngagementEvent[]>> {
  const grouped = new Map<string, EngagementEvent[]>();
  if (contactIds.length === 0) return grouped;
  const context = window.context ? sql`context` : sql`'{}'::jsonb as context`;
  const result = await sql<EventRow>`
    select contact_id, message_id, type, name, properties, ${context}, source, occurred_at
    from events
    where workspace_id = ${workspaceId} and contact_id = ${anyUuid(contactIds)}
      and occurred_at >= ${new Date(window.since)} and occurred_at < ${new Date(window.to)}
    order by contact_id, occurred_at`.execute(db);
  for (const row of result.rows) {
    const list = grouped.get(row.contact_id);
    if (list) list.push(toEngagementEvent(row));
    else grouped.set(row.contact_id, [toEngagementEvent(row)]);
  }
  return grouped;
}
