import { type RawBuilder, sql } from 'kysely';
import type { CellFailure } from '../../core/insight/cell-key.ts';
import type { ReportParams } from '../../core/insight/report-query.ts';
import type { Report, ReportLeadsPage, ReportName } from '../../core/insight/report-types.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { fromCenti } from '../../core/scoring/points.ts';
import type { Db } from '../db/open-database.ts';
import { decodeCursor, toPage } from '../http/cursor.ts';
import { funnelReport } from './funnel-report.ts';
import { gradeTemperatureReport } from './grade-temperature-report.ts';
import { executeInParts } from './lead-facts.ts';
import { recycleReport } from './recycle-report.ts';
import type { ReportDefinition } from './report-definition.ts';
import { revenueReport } from './revenue-report.ts';
import { slaReport } from './sla-report.ts';
import { timeInStageReport } from './time-in-stage-report.ts';

const REPORTS: { readonly [Name in ReportName]: ReportDefinition<Extract<Report, { report: Name }>> } = {
  funnel: funnelReport,
  'time-in-stage': timeInStageReport,
  sla: slaReport,
  recycle: recycleReport,
  'grade-temperature': gradeTemperatureReport,
  revenue: revenueReport,
};

/** Runs one report over its period for a workspace (docs/insight.md). */
export function runReport<Name extends ReportName>(
  db: Db,
  workspaceId: string,
  report: Name,
  params: ReportParams,
): Promise<Extract<Report, { report: Name }>> {
  const definition: ReportDefinition<Extract<Report, { report: Name }>> = REPORTS[report];
  return definition.run(db, workspaceId, params);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type LeadRow = {
  id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  stage: string;
  score: number;
  owner: string | null;
};

/** Highest score first, ties by id, as PostgreSQL orders uuids (their lower-case text's order). */
function byScoreThenId(a: LeadRow, b: LeadRow): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The leads behind one figure of a report, each once, highest score first (ties by id), a page
 * at a time: `cursor` is the `nextCursor` of the page before. The same report, period and split
 * as the figure's must be given, since the cell only names the figure within them. A report
 * that counts in slices of the contacts (`sliced`) lists each slice's first page at the same
 * time, and the page is the best of those.
 */
export async function listReportLeads(
  db: Db,
  workspaceId: string,
  report: ReportName,
  params: ReportParams,
  page: { cell: string; cursor?: string; limit?: number },
): Promise<Result<ReportLeadsPage, CellFailure>> {
  const definition = REPORTS[report];
  const whole = definition.cellLeads(workspaceId, params, page.cell);
  if (!whole.ok) return err(whole.error);
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 500);
  let after = sql``;
  if (page.cursor) {
    const [score, id] = decodeCursor(page.cursor, 2);
    if (!Number.isInteger(score) || typeof id !== 'string' || !UUID.test(id)) decodeCursor('', 2);
    after = sql`and (c.score < ${Number(score)} or (c.score = ${Number(score)} and c.id > ${String(id)}::uuid))`;
  }
  const pageOf = (behind: RawBuilder<unknown>) => sql<LeadRow>`
    select c.id, c.email, c.first_name, c.last_name, c.stage, c.score, c.owner
    from contacts c
    where c.workspace_id = ${workspaceId} and c.id in (${behind}) ${after}
    order by c.score desc, c.id
    limit ${limit + 1}`;
  const rows = definition.sliced
    ? (
        await executeInParts(db, (range) => {
          const behind = definition.cellLeads(workspaceId, params, page.cell, range);
          if (!behind.ok) throw new Error('a cell valid for the whole workspace was refused for a slice of it');
          return pageOf(behind.value);
        })
      )
        .sort(byScoreThenId)
        .slice(0, limit + 1)
    : (await pageOf(whole.value).execute(db)).rows;
  return ok(
    toPage(
      rows,
      limit,
      (row) => [row.score, row.id],
      (row) => ({
        id: row.id,
        email: row.email,
        name: [row.first_name, row.last_name].filter((part) => part?.trim()).join(' ') || null,
        stage: row.stage,
        score: fromCenti(row.score),
        owner: row.owner,
      }),
    ),
  );
}
