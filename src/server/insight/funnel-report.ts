import { sql } from 'kysely';
import { buildFunnelReport } from '../../core/insight/build-funnel-report.ts';
import { type CellFailure, parseCell } from '../../core/insight/cell-key.ts';
import type { ReportParams } from '../../core/insight/report-query.ts';
import { FUNNEL_STAGES, type FunnelReport, funnelRank, isFunnelStage } from '../../core/insight/report-types.ts';
import { err, ok } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { type ContactRange, ENTERED_MONTH, executeInParts, leadCtes, monthBounds } from './lead-facts.ts';
import { periodOf, type ReportDefinition } from './report-definition.ts';
import { splitOf, withSplit } from './split-groups.ts';

function cohort(workspaceId: string, params: ReportParams, range?: ContactRange) {
  return leadCtes(workspaceId, { entered: periodOf(params) }, range);
}

type CellRow = { month: string | null; grp: string | null; no_month: number; no_group: number; reached: number[] };

/**
 * The leads of one slice of the contacts, counted by month, group and furthest stage (`cells`,
 * a few hundred rows at most), then summed for the whole period, each month of entry, each group
 * and each month's groups, as running "reached at least" counts.
 */
function countsIn(workspaceId: string, params: ReportParams, range: ContactRange) {
  const split = splitOf(workspaceId, params.by, { range });
  const reached = sql.join(
    FUNNEL_STAGES.map((_, index) => sql`(coalesce(sum(n) filter (where reached >= ${index + 1}), 0))::integer`),
  );
  const grouped = params.by !== null;
  const cells =
    split.keys === null
      ? sql`cells as (
          select ${ENTERED_MONTH} as month, ${split.label} as grp, l.reached, count(*) as n
          from leads l ${split.joins}
          group by 1, 2, 3
        )`
      : sql`cell_keys as (
          select ${ENTERED_MONTH} as month, l.reached, ${split.keys}, count(*) as n
          from leads l ${split.joins}
          group by month, l.reached, ${split.keys}
        ),
        cells as (
          select t.month, ${split.label} as grp, t.reached, sum(t.n) as n
          from cell_keys t
          group by 1, 2, 3
        )`;
  return sql<CellRow>`
    with ${withSplit(cohort(workspaceId, params, range), split)},
    ${cells}
    select to_char(month, 'YYYY-MM') as month, ${grouped ? sql`grp, grouping(grp)` : sql`null::text as grp, 1`} as no_group,
      grouping(cells.month) as no_month, array[${reached}] as reached
    from cells
    group by grouping sets (${grouped ? sql`(), (cells.month), (grp), (cells.month, grp)` : sql`(), (cells.month)`})`;
}

/**
 * How many of the leads that entered in the period reached each stage, for the whole period,
 * each month of entry, each group of the split and each month's groups: counted in slices of
 * the contacts at the same time (`executeInParts`), and the slices' counts added up.
 */
async function run(db: Db, workspaceId: string, params: ReportParams): Promise<FunnelReport> {
  const rows = await executeInParts(db, (range) => countsIn(workspaceId, params, range));
  const counts = new Map<string, { month: string | null; group: string | null; reached: number[] }>();
  for (const row of rows) {
    const month = Number(row.no_month) === 1 ? null : row.month;
    const group = Number(row.no_group) === 1 ? null : row.grp;
    const key = JSON.stringify([month, group]);
    const known = counts.get(key);
    const reached = row.reached.map(Number);
    if (known) known.reached = known.reached.map((count, index) => count + (reached[index] ?? 0));
    else counts.set(key, { month, group, reached });
  }
  return buildFunnelReport([...counts.values()], params, params.by);
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** `stage` (required), `month` and `group`: the leads of that cohort and group that reached the stage. */
function cellLeads(workspaceId: string, params: ReportParams, cell: string, range?: ContactRange) {
  const parsed = parseCell(cell, {
    allowed: ['month', 'group', 'stage'],
    required: ['stage'],
    values: { stage: FUNNEL_STAGES },
  });
  if (!parsed.ok) return parsed;
  const { month, group, stage } = parsed.value;
  if (month !== undefined && !MONTH.test(month)) {
    return err<CellFailure>({
      kind: 'invalid-cell',
      message: `the cell's month must look like 2026-03, got \`${month}\``,
    });
  }
  if (group !== undefined && params.by === null) {
    return err<CellFailure>({
      kind: 'invalid-cell',
      message: 'the cell names a group: send the same `by` as the report it came from',
    });
  }
  if (stage === undefined || !isFunnelStage(stage)) throw new Error('parseCell let an unknown stage through');
  const split = splitOf(workspaceId, params.by, { range });
  const conditions = [sql`l.reached >= ${funnelRank(stage)}`];
  if (month !== undefined) {
    const { start, end } = monthBounds(month);
    conditions.push(sql`l.entered_at >= ${start} and l.entered_at < ${end}`);
  }
  if (group !== undefined) conditions.push(sql`${split.label} = ${group}`);
  const leads = cohort(workspaceId, params, range);
  return ok(sql`with ${group !== undefined ? withSplit(leads, split) : leads}
    select l.contact_id from leads l ${group !== undefined ? split.joins : sql``}
    where ${sql.join(conditions, sql` and `)}`);
}

export const funnelReport: ReportDefinition<FunnelReport> = { run, cellLeads, sliced: true };
