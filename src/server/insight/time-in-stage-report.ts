import { sql } from 'kysely';
import { formatCell, parseCell } from '../../core/insight/cell-key.ts';
import type { ReportParams } from '../../core/insight/report-query.ts';
import type { TimeInStageReport } from '../../core/insight/report-types.ts';
import { STAGES } from '../../core/lifecycle/stages.ts';
import { ok } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { executeReport } from './lead-facts.ts';
import { periodOf, type ReportDefinition } from './report-definition.ts';

/**
 * Stays that ended in the period (`ended`: contact, stage, entered and left): a stay runs from
 * a move into a stage to the lead's next move (consecutive stage history rows, reassignments
 * left out). A lead's first stay in `lead` runs from when it entered the funnel (created, or its
 * first move if that came earlier) to its first move. Stays not over yet are not counted.
 */
function stays(workspaceId: string, params: ReportParams) {
  const { from, to } = periodOf(params);
  return sql`with moves as materialized (
      select contact_id, from_stage, to_stage, at,
        lead(at) over w as left_at, row_number() over w as nth
      from stage_history
      where workspace_id = ${workspaceId} and from_stage is distinct from to_stage
      window w as (partition by contact_id order by at, id)
    ),
    ended as (
      select contact_id, to_stage as stage, at as entered_at, left_at from moves
      where left_at >= ${from} and left_at < ${to}
      union all
      select m.contact_id, 'lead', least(c.created_at, m.at), m.at
      from moves m join contacts c on c.workspace_id = ${workspaceId} and c.id = m.contact_id
      where m.nth = 1 and m.from_stage = 'lead' and m.at >= ${from} and m.at < ${to}
    )`;
}

/** Per stage: the stays that ended in the period, their leads, and the median and p90 length. */
async function run(db: Db, workspaceId: string, params: ReportParams): Promise<TimeInStageReport> {
  const seconds = sql`extract(epoch from (left_at - entered_at))::float8`;
  const rows = await executeReport(
    db,
    sql<{ stage: string; stays: number; leads: number; median: number | null; p90: number | null }>`
      ${stays(workspaceId, params)}
      select stage, count(*) as stays, count(distinct contact_id) as leads,
        percentile_cont(0.5) within group (order by ${seconds}) as median,
        percentile_cont(0.9) within group (order by ${seconds}) as p90
      from ended group by stage`,
  );
  return {
    report: 'time-in-stage',
    from: new Date(params.from).toISOString(),
    to: new Date(params.to).toISOString(),
    stages: STAGES.map((stage) => {
      const row = rows.find((candidate) => candidate.stage === stage);
      return {
        stage,
        stays: Number(row?.stays ?? 0),
        leads: { count: Number(row?.leads ?? 0), cell: formatCell([['stage', stage]]) },
        medianSeconds: row?.median ?? null,
        p90Seconds: row?.p90 ?? null,
      };
    }),
  };
}

/** `stage`: the leads whose stay in that stage ended in the period. */
function cellLeads(workspaceId: string, params: ReportParams, cell: string) {
  const parsed = parseCell(cell, { allowed: ['stage'], required: ['stage'], values: { stage: STAGES } });
  if (!parsed.ok) return parsed;
  return ok(sql`${stays(workspaceId, params)} select contact_id from ended where stage = ${parsed.value.stage}`);
}

export const timeInStageReport: ReportDefinition<TimeInStageReport> = { run, cellLeads };
