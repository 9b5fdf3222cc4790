import { sql } from 'kysely';
import { buildFunnelReport } from '../../core/insight/build-funnel-report.ts';
import { type CellFailure, parseCell } from '../../core/insight/cell-key.ts';
import type { ReportParams } from '../../core/insight/report-query.ts';
import { FUNNEL_STAGES, type FunnelReport, isFunnelStage } from '../../core/insight/report-types.ts';
import { err, ok } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { ENTERED_MONTH, executeReport, funnelRank, leadCtes, monthBounds } from './lead-facts.ts';
import { periodOf, type ReportDefinition } from './report-definition.ts';
import { splitOf, withSplit } from './split-groups.ts';

function cohort(workspaceId: string, params: ReportParams) {
  return leadCtes(workspaceId, { entered: periodOf(params) }, { mqlDetails: params.by === 'playbook-version' });
}

/**
 * How many of the leads that entered in the period reached each stage, for the whole period,
 * each month of entry, each group of the split and each month's groups. The leads are counted
 * once, by month, group and furthest stage (`cells`, a few hundred rows at most); the totals
 * and the running "reached at least" counts are summed from those.
 */
async function run(db: Db, workspaceId: string, params: ReportParams): Promise<FunnelReport> {
  const split = splitOf(workspaceId, params.by, { keep: true });
  const reached = sql.join(
    FUNNEL_STAGES.map((_, index) => sql`(coalesce(sum(n) filter (where reached >= ${index + 1}), 0))::integer`),
  );
  const grouped = params.by !== null;
  const rows = await executeReport(
    db,
    sql<{ month: string | null; grp: string | null; no_month: number; no_group: number; reached: number[] }>`
      with ${withSplit(cohort(workspaceId, params), split)},
      cells as (
        select ${ENTERED_MONTH} as month, ${split.label} as grp, l.reached, count(*) as n
        from leads l ${split.joins}
        group by 1, 2, 3
      )
      select to_char(month, 'YYYY-MM') as month, ${grouped ? sql`grp, grouping(grp)` : sql`null::text as grp, 1`} as no_group,
        grouping(cells.month) as no_month, array[${reached}] as reached
      from cells
      group by grouping sets (${grouped ? sql`(), (cells.month), (grp), (cells.month, grp)` : sql`(), (cells.month)`})`,
  );
  const counts = rows.map((row) => ({
    month: Number(row.no_month) === 1 ? null : row.month,
    group: Number(row.no_group) === 1 ? null : row.grp,
    reached: row.reached.map(Number),
  }));
  return buildFunnelReport(counts, params, params.by);
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** `stage` (required), `month` and `group`: the leads of that cohort and group that reached the stage. */
function cellLeads(workspaceId: string, params: ReportParams, cell: string) {
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
  const split = splitOf(workspaceId, params.by);
  const conditions = [sql`l.reached >= ${funnelRank(stage)}`];
  if (month !== undefined) {
    const { start, end } = monthBounds(month);
    conditions.push(sql`l.entered_at >= ${start} and l.entered_at < ${end}`);
  }
  if (group !== undefined) conditions.push(sql`${split.label} = ${group}`);
  return ok(sql`with ${group !== undefined ? withSplit(cohort(workspaceId, params), split) : cohort(workspaceId, params)}
    select l.contact_id from leads l ${group !== undefined ? split.joins : sql``}
    where ${sql.join(conditions, sql` and `)}`);
}

export const funnelReport: ReportDefinition<FunnelReport> = { run, cellLeads };
