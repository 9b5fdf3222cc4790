import { type RawBuilder, sql } from 'kysely';
import { formatCell, parseCell } from '../../core/insight/cell-key.ts';
import { rateOf } from '../../core/insight/rate-of.ts';
import type { ReportParams } from '../../core/insight/report-query.ts';
import type { SlaFigures, SlaReport } from '../../core/insight/report-types.ts';
import { ok } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { executeReport } from './lead-facts.ts';
import type { ReportDefinition } from './report-definition.ts';

const FIGURE_NAMES = ['due', 'in-time', 'breached', 'touched'] as const;
type FigureName = (typeof FIGURE_NAMES)[number];

/** What each SLA figure counts, as a condition on a hand-off of `due`. */
const FIGURES: Readonly<Record<FigureName, RawBuilder<boolean>>> = {
  due: sql`true`,
  'in-time': sql`in_time`,
  breached: sql`breached`,
  touched: sql`first_touch_at is not null`,
};

/**
 * Hand-offs whose first-touch deadline fell in the period, and before now (so each is decided):
 * `in_time` when first touched by the deadline, `breached` when the SLA sweep marked it
 * breached or its first touch came after the deadline.
 */
function due(workspaceId: string, params: ReportParams) {
  const from = new Date(params.from);
  const until = new Date(Math.min(params.to, params.now));
  return sql`with due as (
    select h.contact_id, h.owner, h.qualified_at, h.first_touch_at,
      coalesce(h.first_touch_at <= h.due_at, false) as in_time,
      (h.breached_at is not null or coalesce(h.first_touch_at > h.due_at, false)) as breached
    from handoffs h
    where h.workspace_id = ${workspaceId} and h.due_at >= ${from} and h.due_at < ${until}
  )`;
}

interface SlaRow {
  owner: string | null;
  is_total: number;
  due: number;
  in_time: number;
  breached: number;
  touched: number;
  median: number | null;
}

function figuresOf(row: SlaRow | undefined, owner: string | null): SlaFigures {
  const figure = (name: FigureName, count: number) => ({
    count,
    cell: formatCell([
      ['owner', owner],
      ['sla', name],
    ]),
  });
  const [dueCount, inTime] = [Number(row?.due ?? 0), Number(row?.in_time ?? 0)];
  return {
    due: figure('due', dueCount),
    inTime: figure('in-time', inTime),
    breached: figure('breached', Number(row?.breached ?? 0)),
    touched: figure('touched', Number(row?.touched ?? 0)),
    inTimeRate: rateOf(inTime, dueCount),
    medianSecondsToFirstTouch: row?.median ?? null,
  };
}

/** Share touched in time, breaches and the median time from hand-off to first touch, in total and per owner. */
async function run(db: Db, workspaceId: string, params: ReportParams): Promise<SlaReport> {
  const rows = await executeReport(
    db,
    sql<SlaRow>`${due(workspaceId, params)}
    select owner, grouping(owner) as is_total, count(*) as due,
      count(*) filter (where in_time) as in_time,
      count(*) filter (where breached) as breached,
      count(*) filter (where first_touch_at is not null) as touched,
      percentile_cont(0.5) within group (order by extract(epoch from (first_touch_at - qualified_at))::float8)
        filter (where first_touch_at is not null) as median
    from due group by grouping sets ((), (owner))`,
  );
  const owners = rows
    .filter((row) => Number(row.is_total) === 0)
    .sort((a, b) => Number(b.due) - Number(a.due) || ((a.owner ?? '') < (b.owner ?? '') ? -1 : 1));
  return {
    report: 'sla',
    from: new Date(params.from).toISOString(),
    to: new Date(params.to).toISOString(),
    total: figuresOf(
      rows.find((row) => Number(row.is_total) === 1),
      null,
    ),
    owners: owners.map((row) => ({ owner: row.owner ?? '', ...figuresOf(row, row.owner ?? '') })),
  };
}

/** `sla` (due, in-time, breached, touched; required) and `owner`: the leads of those hand-offs. */
function cellLeads(workspaceId: string, params: ReportParams, cell: string) {
  const parsed = parseCell(cell, { allowed: ['owner', 'sla'], required: ['sla'], values: { sla: FIGURE_NAMES } });
  if (!parsed.ok) return parsed;
  const figure = FIGURE_NAMES.find((name) => name === parsed.value.sla) ?? 'due';
  const owner = parsed.value.owner;
  return ok(sql`${due(workspaceId, params)}
    select contact_id from due where ${FIGURES[figure]} ${owner === undefined ? sql`` : sql`and owner = ${owner}`}`);
}

export const slaReport: ReportDefinition<SlaReport> = { run, cellLeads };
