import { type RawBuilder, sql } from 'kysely';
import { FUNNEL_STAGES, type FunnelStage } from '../../core/insight/report-types.ts';
import { withRetry } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';

/** The funnel stages in order, as a parameter: `array_position` of a stage is its 1-based rank. */
function funnelStages(): RawBuilder<string[]> {
  return sql<string[]>`${[...FUNNEL_STAGES]}::text[]`;
}

/** The 1-based rank of a funnel stage (`lead` 1 … `customer` 6), as `reached` counts it. */
export function funnelRank(stage: FunnelStage): number {
  return FUNNEL_STAGES.indexOf(stage) + 1;
}

/** Which leads: those that entered the funnel in `[from, to)`, or the contacts a subquery names. */
export type LeadSelection = { entered: { from: Date; to: Date } } | { among: RawBuilder<unknown> };

/**
 * The `with` list every funnel figure is counted from (docs/insight.md, "Definitions"), ending in
 * `leads`, one row per lead:
 *
 * - `entered_at`: when the lead entered the funnel, its creation or its first stage move,
 *   whichever came first;
 * - `reached`: the rank of the furthest funnel stage it ever moved into (stage history) or is
 *   in now, at least 1 (`lead`): a lead that reached `sql` reached `mql` and `sal` too, even
 *   when it skipped one;
 * - `first_mql_at`: its first move into `mql`;
 * - with `mqlDetails`, the playbook version and the grade and temperature recorded with that
 *   move (`mql_version`, `mql_grade`, `mql_temperature`; null without one);
 * - its company, owner, grade and temperature now.
 *
 * Reassignments, which the stage history records as rows that do not change the stage, are
 * not moves. Each lead's history is summed up once (`lead_history`, materialised: parallel
 * workers would otherwise each build it again), then joined to its contact.
 */
export function leadCtes(
  workspaceId: string,
  selection: LeadSelection,
  options: { mqlDetails?: boolean } = {},
): RawBuilder<unknown> {
  const historyOf = 'among' in selection ? sql`and contact_id in (${selection.among})` : sql``;
  const chosen =
    'among' in selection
      ? sql`c.id in (${selection.among})`
      : sql`c.created_at >= ${selection.entered.from}
          and least(c.created_at, h.first_at) >= ${selection.entered.from}
          and least(c.created_at, h.first_at) < ${selection.entered.to}`;
  const mql = options.mqlDetails
    ? sql`lead_mql as materialized (
        select distinct on (contact_id) contact_id, playbook_version,
          score_snapshot->>'grade' as grade, score_snapshot->>'temperature' as temperature
        from stage_history
        where workspace_id = ${workspaceId} and to_stage = 'mql' and from_stage is distinct from to_stage ${historyOf}
        order by contact_id, at, id
      ),`
    : sql``;
  const details = options.mqlDetails
    ? sql`m.playbook_version as mql_version, m.grade as mql_grade, m.temperature as mql_temperature`
    : sql`null::integer as mql_version, null::text as mql_grade, null::text as mql_temperature`;
  return sql`lead_history as materialized (
      select contact_id, min(at) as first_at, max(array_position(${funnelStages()}, to_stage)) as reached,
        min(at) filter (where to_stage = 'mql') as first_mql_at
      from stage_history
      where workspace_id = ${workspaceId} and from_stage is distinct from to_stage ${historyOf}
      group by contact_id
    ),
    ${mql}
    leads as (
      select c.id as contact_id, c.company_id, c.owner, c.grade, c.temperature,
        least(c.created_at, h.first_at) as entered_at,
        greatest(coalesce(h.reached, 1), coalesce(array_position(${funnelStages()}, c.stage), 1)) as reached,
        h.first_mql_at, ${details}
      from contacts c
      left join lead_history h on h.contact_id = c.id
      ${options.mqlDetails ? sql`left join lead_mql m on m.contact_id = c.id` : sql``}
      where c.workspace_id = ${workspaceId} and ${chosen}
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
 * A report that keeps the origin of a touch whose event is being erased at that moment fails
 * on `touch_origins`' foreign key; it runs again, and then no longer sees the event.
 */
export function executeReport<Row>(db: Db, query: RawBuilder<Row>): Promise<Row[]> {
  const run = () =>
    db.transaction().execute(async (trx) => {
      await sql`set local work_mem = '64MB'`.execute(trx);
      await sql`set local jit = off`.execute(trx);
      return (await query.execute(trx)).rows;
    });
  return withRetry(
    run,
    2,
    (error) => typeof error === 'object' && error !== null && 'code' in error && error.code === '23503',
  );
}
