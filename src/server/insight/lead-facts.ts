import { type RawBuilder, sql } from 'kysely';
import { FUNNEL_STAGES } from '../../core/insight/report-types.ts';
import { type Db, runsOneTransactionAtATime } from '../db/open-database.ts';

/** The funnel stages in order, as a parameter: `array_position` of a stage is its 1-based rank. */
function funnelStages(): RawBuilder<string[]> {
  return sql<string[]>`${[...FUNNEL_STAGES]}::text[]`;
}

/** Which leads: those that entered the funnel in `[from, to)`, or the contacts a subquery names. */
export type LeadSelection = { entered: { from: Date; to: Date } } | { among: RawBuilder<unknown> };

/**
 * A slice of a workspace's contacts by id, `[from, to)`, a bound null when open: a report over
 * the whole workspace can run as one statement per slice at the same time (`executeInParts`).
 */
export interface ContactRange {
  from: string | null;
  to: string | null;
}

/**
 * `column` (a contact id) within `range`, as conditions to append after others; empty without
 * one. `read: 'scan'` for tables read whole: the comparisons are wrapped so that the planner
 * cannot take them to an index range scan, which reads half a table's rows one page at a time
 * (2.4 s for 340,000 contacts, where a sequential scan and a filter take 0.3 s). `'index'` where
 * the range should be an index's bounds (the touches index, whose scan needs no table pages).
 */
export function inRange(
  column: RawBuilder<unknown>,
  range: ContactRange | undefined,
  read: 'index' | 'scan',
): RawBuilder<unknown> {
  if (!range) return sql``;
  const bounded = (condition: RawBuilder<unknown>) =>
    read === 'index' ? sql`and ${condition}` : sql`and coalesce(${condition}, false)`;
  const from = range.from === null ? sql`` : bounded(sql`${column} >= ${range.from}::uuid`);
  const to = range.to === null ? sql`` : bounded(sql`${column} < ${range.to}::uuid`);
  return sql`${from} ${to}`;
}

/**
 * The `with` list every funnel figure is counted from (docs/insight.md, "Definitions"), ending in
 * `leads`, one row per lead:
 *
 * - `entered_at`: when the lead entered the funnel, its creation or its first stage move,
 *   whichever came first;
 * - `reached`: the rank of the furthest funnel stage it ever moved into (stage history) or is
 *   in now, at least 1 (`lead`): a lead that reached `sql` reached `mql` and `sal` too, even
 *   when it skipped one;
 * - the playbook version and the grade and temperature recorded with its first move into `mql`
 *   (`mql_version`, `mql_grade`, `mql_temperature`; null without one);
 * - its company, owner, grade and temperature now.
 *
 * Reassignments, which the stage history records as rows that do not change the stage, are
 * not moves. All of it comes from the funnel facts that triggers keep on each contact
 * (migrations 0019 and 0021), so that the leads are one pass over the contacts. With `range`,
 * only the contacts in that slice.
 */
export function leadCtes(workspaceId: string, selection: LeadSelection, range?: ContactRange): RawBuilder<unknown> {
  const chosen =
    'among' in selection
      ? sql`c.id in (${selection.among})`
      : sql`c.funnel_entered_at >= ${selection.entered.from} and c.funnel_entered_at < ${selection.entered.to}`;
  return sql`leads as (
      select c.id as contact_id, c.company_id, c.owner, c.grade, c.temperature, c.funnel_entered_at as entered_at,
        greatest(coalesce(c.funnel_reached, 1), coalesce(array_position(${funnelStages()}, c.stage), 1)) as reached,
        c.funnel_first_mql_version as mql_version, c.funnel_first_mql_grade as mql_grade,
        c.funnel_first_mql_temperature as mql_temperature
      from contacts c
      where c.workspace_id = ${workspaceId} and ${chosen} ${inRange(sql`c.id`, range, 'scan')}
    )`;
}

/** The calendar month (UTC) a lead `l` entered, as a timestamp to group by (`to_char` it last). */
export const ENTERED_MONTH = sql<Date>`date_trunc('month', l.entered_at at time zone 'UTC')`;

/** `[start, end)` of a `YYYY-MM` month in UTC. */
export function monthBounds(month: string): { start: Date; end: Date } {
  const [year, index] = month.split('-').map(Number);
  return {
    start: new Date(Date.UTC(year ?? 0, (index ?? 1) - 1, 1)),
    end: new Date(Date.UTC(year ?? 0, index ?? 1, 1)),
  };
}

/**
 * Runs a report's statement in a transaction of its own, with room to sort and hash in memory
 * (`work_mem`: a report aggregates a whole workspace's leads at once, where the server's default
 * is sized for the many small statements of ingestion) and without JIT compilation (which
 * PostgreSQL picks for statements this size, and which cost more than it saved, up to 0.7 s).
 * `serial`: without parallel workers, for a statement that runs beside others of the same report
 * (`executeInParts`), which already keep the processes PostgreSQL would give it busy.
 */
export async function executeReport<Row>(
  db: Db,
  query: RawBuilder<Row>,
  options: { serial?: boolean } = {},
): Promise<Row[]> {
  return db.transaction().execute(async (trx) => {
    await sql`set local work_mem = '64MB'`.execute(trx);
    await sql`set local jit = off`.execute(trx);
    if (options.serial) await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
    return (await query.execute(trx)).rows;
  });
}

/** How many parts `executeInParts` runs at a time, per database (PostgreSQL's own setting, read once). */
const partsOf = new WeakMap<Db, Promise<number>>();

/**
 * As many slices as PostgreSQL lets one statement use processes in parallel
 * (`max_parallel_workers_per_gather`, 2 by default, at most 8): a report's materialised
 * lead facts keep PostgreSQL from running it in parallel itself. One on PGlite, which runs one
 * statement at a time.
 */
async function reportParts(db: Db): Promise<number> {
  if (runsOneTransactionAtATime(db)) return 1;
  let parts = partsOf.get(db);
  if (!parts) {
    parts = sql<{ n: number }>`select current_setting('max_parallel_workers_per_gather')::integer as n`
      .execute(db)
      .then((result) => Math.min(Math.max(Number(result.rows[0]?.n ?? 0), 1), 8));
    partsOf.set(db, parts);
  }
  return parts;
}

/** `parts` contiguous slices of all contact ids, split evenly on their first 32 bits (ids are random). */
export function contactRanges(parts: number): ContactRange[] {
  const bound = (index: number) =>
    `${Math.floor((index * 2 ** 32) / parts)
      .toString(16)
      .padStart(8, '0')}-0000-0000-0000-000000000000`;
  return Array.from({ length: parts }, (_, index) => ({
    from: index === 0 ? null : bound(index),
    to: index === parts - 1 ? null : bound(index + 1),
  }));
}

/**
 * Runs a report whose figures are sums over leads as one statement per slice of the contacts,
 * at the same time on separate connections (`executeReport` each), and returns all their rows:
 * the caller adds up the parts. Each lead falls in one slice with all its history and events, so
 * the sums are the whole report's; the parts' snapshots may differ by the moments between their
 * starts, as two reports run one after the other would.
 */
export async function executeInParts<Row>(db: Db, statement: (range: ContactRange) => RawBuilder<Row>): Promise<Row[]> {
  const ranges = contactRanges(await reportParts(db));
  // Each part alone: parallel workers of their own would make more processes than the parts'
  // share of the machine (the page of leads behind a touch split: 1.3 s with them, 0.7 s without).
  const serial = ranges.length > 1;
  const parts = await Promise.all(ranges.map((range) => executeReport(db, statement(range), { serial })));
  return parts.flat();
}
