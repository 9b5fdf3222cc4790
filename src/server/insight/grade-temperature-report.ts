import { sql } from 'kysely';
import { formatCell, parseCell } from '../../core/insight/cell-key.ts';
import { rateOf } from '../../core/insight/rate-of.ts';
import type { ReportParams } from '../../core/insight/report-query.ts';
import { funnelRank, type GradeTemperatureReport, type GradeTemperatureRow } from '../../core/insight/report-types.ts';
import { ok } from '../../core/result.ts';
import { GRADES, TEMPERATURES } from '../../core/scoring/grades.ts';
import type { Db } from '../db/open-database.ts';
import { type ContactRange, executeInParts, leadCtes } from './lead-facts.ts';
import { periodOf, type ReportDefinition } from './report-definition.ts';

/**
 * The leads that entered in the period with the grade × temperature cell they were judged in:
 * the one recorded with their first move into `mql` (the score snapshot), or, for leads that
 * never became MQLs, their current one. Temperature decays, so a customer's current cell says
 * little about how it looked when it was handed to sales.
 */
function judged(workspaceId: string, params: ReportParams, range?: ContactRange) {
  return sql`with ${leadCtes(workspaceId, { entered: periodOf(params) }, range)},
    judged as (
      select contact_id, coalesce(mql_grade, grade) as grade, coalesce(mql_temperature, temperature) as temperature,
        reached
      from leads
    )`;
}

const FIGURES = {
  leads: sql`true`,
  sql: sql`reached >= ${funnelRank('sql')}`,
  won: sql`reached >= ${funnelRank('customer')}`,
} as const;

interface CellRow {
  grade: string | null;
  temperature: string | null;
  is_total: number;
  leads: number;
  sqls: number;
  won: number;
}

function toRow(row: CellRow | undefined, grade: string | null, temperature: string | null): GradeTemperatureRow {
  const [leads, sqls, won] = [Number(row?.leads ?? 0), Number(row?.sqls ?? 0), Number(row?.won ?? 0)];
  const cell = (figure: string) =>
    formatCell([
      ['grade', grade],
      ['temperature', temperature],
      ['figure', figure],
    ]);
  return {
    grade,
    temperature,
    leads: { count: leads, cell: cell('leads') },
    sql: { count: sqls, cell: cell('sql') },
    won: { count: won, cell: cell('won') },
    sqlRate: rateOf(sqls, leads),
    wonRate: rateOf(won, leads),
  };
}

/** The parts' counts added up, cell by cell (lead-facts.ts `executeInParts`). */
function addUp(parts: readonly CellRow[]): CellRow[] {
  const sums = new Map<string, CellRow>();
  for (const row of parts) {
    const key = JSON.stringify([Number(row.is_total), row.grade, row.temperature]);
    const sum = sums.get(key);
    if (!sum) sums.set(key, { ...row, leads: Number(row.leads), sqls: Number(row.sqls), won: Number(row.won) });
    else
      Object.assign(sum, {
        leads: sum.leads + Number(row.leads),
        sqls: sum.sqls + Number(row.sqls),
        won: sum.won + Number(row.won),
      });
  }
  return [...sums.values()];
}

/**
 * Per grade × temperature cell (A-hot … D-cold): its leads, how many reached SQL and how many
 * were won, counted in slices of the contacts at the same time and added up.
 */
async function run(db: Db, workspaceId: string, params: ReportParams): Promise<GradeTemperatureReport> {
  const rows = addUp(
    await executeInParts(
      db,
      (range) => sql<CellRow>`${judged(workspaceId, params, range)}
      select grade, temperature, grouping(grade) as is_total, count(*) as leads,
        count(*) filter (where ${FIGURES.sql}) as sqls, count(*) filter (where ${FIGURES.won}) as won
      from judged group by grouping sets ((), (grade, temperature))`,
    ),
  );
  const cells = rows.filter((row) => Number(row.is_total) === 0);
  const known = GRADES.flatMap((grade) => TEMPERATURES.map((temperature) => ({ grade, temperature })));
  const isKnown = (row: CellRow) =>
    known.some((cell) => cell.grade === row.grade && cell.temperature === row.temperature);
  // Grades or temperatures outside the usual ones (none today) still show, after the usual twelve.
  const others = cells
    .filter((row) => !isKnown(row))
    .sort((a, b) => `${a.grade}-${a.temperature}`.localeCompare(`${b.grade}-${b.temperature}`, 'en'));
  return {
    report: 'grade-temperature',
    from: new Date(params.from).toISOString(),
    to: new Date(params.to).toISOString(),
    total: toRow(
      rows.find((row) => Number(row.is_total) === 1),
      null,
      null,
    ),
    cells: [
      ...known.map(({ grade, temperature }) =>
        toRow(
          cells.find((row) => row.grade === grade && row.temperature === temperature),
          grade,
          temperature,
        ),
      ),
      ...others.map((row) => toRow(row, row.grade, row.temperature)),
    ],
  };
}

/** `figure` (leads, sql or won; required), `grade` and `temperature`. */
function cellLeads(workspaceId: string, params: ReportParams, cell: string, range?: ContactRange) {
  const parsed = parseCell(cell, {
    allowed: ['grade', 'temperature', 'figure'],
    required: ['figure'],
    values: { figure: ['leads', 'sql', 'won'] },
  });
  if (!parsed.ok) return parsed;
  const { grade, temperature, figure } = parsed.value;
  const conditions = [figure === 'won' ? FIGURES.won : figure === 'sql' ? FIGURES.sql : FIGURES.leads];
  if (grade !== undefined) conditions.push(sql`grade = ${grade}`);
  if (temperature !== undefined) conditions.push(sql`temperature = ${temperature}`);
  return ok(
    sql`${judged(workspaceId, params, range)} select contact_id from judged where ${sql.join(conditions, sql` and `)}`,
  );
}

export const gradeTemperatureReport: ReportDefinition<GradeTemperatureReport> = { run, cellLeads, sliced: true };
