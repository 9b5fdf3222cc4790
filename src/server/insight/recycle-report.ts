import { sql } from 'kysely';
import { formatCell, parseCell } from '../../core/insight/cell-key.ts';
import { rateOf } from '../../core/insight/rate-of.ts';
import type { ReportParams } from '../../core/insight/report-query.ts';
import type { RecycleReport, RecycleRow } from '../../core/insight/report-types.ts';
import { ok } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { executeReport } from './lead-facts.ts';
import { periodOf, type ReportDefinition } from './report-definition.ts';

/**
 * Leads recycled in the period (`units`), once per reason and once overall, each from its
 * first recycle in the period (for that reason), with when it next moved into `mql` after it
 * (`requalified_at`, null if it has not). A recycle without a reason counts under `none`.
 * Every move into `recycled` counts: a sales recycle, a lost deal, an expired MQL.
 */
function units(workspaceId: string, params: ReportParams) {
  const { from, to } = periodOf(params);
  return sql`with recycled as (
      select contact_id, coalesce(nullif(btrim(reason), ''), 'none') as reason, at
      from stage_history
      where workspace_id = ${workspaceId} and to_stage = 'recycled' and from_stage is distinct from to_stage
        and at >= ${from} and at < ${to}
    ),
    firsts as (
      select contact_id, reason, grouping(reason) as is_total, min(at) as at
      from recycled group by grouping sets ((contact_id, reason), (contact_id))
    ),
    units as (
      select f.*, (
        select min(m.at) from stage_history m
        where m.workspace_id = ${workspaceId} and m.contact_id = f.contact_id and m.to_stage = 'mql' and m.at > f.at
      ) as requalified_at
      from firsts f
    )`;
}

interface UnitRow {
  reason: string | null;
  is_total: number;
  recycled: number;
  requalified: number;
  median: number | null;
}

function toRow(row: UnitRow | undefined, reason: string | null): RecycleRow {
  const [recycled, requalified] = [Number(row?.recycled ?? 0), Number(row?.requalified ?? 0)];
  const cell = (figure: string) =>
    formatCell([
      ['reason', reason],
      ['figure', figure],
    ]);
  return {
    reason,
    recycled: { count: recycled, cell: cell('recycled') },
    requalified: { count: requalified, cell: cell('requalified') },
    requalifiedRate: rateOf(requalified, recycled),
    medianSecondsToRequalify: row?.median ?? null,
  };
}

/** Leads recycled in the period, how many came back as MQLs and how soon, in total and by reason. */
async function run(db: Db, workspaceId: string, params: ReportParams): Promise<RecycleReport> {
  const rows = await executeReport(
    db,
    sql<UnitRow>`${units(workspaceId, params)}
    select reason, is_total, count(*) as recycled, count(requalified_at) as requalified,
      percentile_cont(0.5) within group (order by extract(epoch from (requalified_at - at))::float8)
        filter (where requalified_at is not null) as median
    from units group by is_total, reason`,
  );
  const reasons = rows
    .filter((row) => Number(row.is_total) === 0)
    .sort((a, b) => Number(b.recycled) - Number(a.recycled) || ((a.reason ?? '') < (b.reason ?? '') ? -1 : 1));
  return {
    report: 'recycle',
    from: new Date(params.from).toISOString(),
    to: new Date(params.to).toISOString(),
    total: toRow(
      rows.find((row) => Number(row.is_total) === 1),
      null,
    ),
    reasons: reasons.map((row) => toRow(row, row.reason ?? 'none')),
  };
}

/** `figure` (recycled or requalified; required) and `reason`. */
function cellLeads(workspaceId: string, params: ReportParams, cell: string) {
  const parsed = parseCell(cell, {
    allowed: ['reason', 'figure'],
    required: ['figure'],
    values: { figure: ['recycled', 'requalified'] },
  });
  if (!parsed.ok) return parsed;
  const { reason, figure } = parsed.value;
  const which = reason === undefined ? sql`is_total = 1` : sql`is_total = 0 and reason = ${reason}`;
  const requalified = figure === 'requalified' ? sql`and requalified_at is not null` : sql``;
  return ok(sql`${units(workspaceId, params)} select contact_id from units where ${which} ${requalified}`);
}

export const recycleReport: ReportDefinition<RecycleReport> = { run, cellLeads };
