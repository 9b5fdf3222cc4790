import { formatCell } from './cell-key.ts';
import { rateOf } from './rate-of.ts';
import { FUNNEL_STAGES, type FunnelReport, type FunnelRow, type Split } from './report-types.ts';

/**
 * How many leads of one cohort reached each funnel stage: `reached[k]` counts those that reached
 * `FUNNEL_STAGES[k]`. `month` null is the whole period, `group` null all groups.
 */
export interface FunnelCounts {
  month: string | null;
  group: string | null;
  reached: readonly number[];
}

/** The calendar months (UTC, `YYYY-MM`) that `[from, to)` touches, in order. */
export function monthsBetween(from: number, to: number): string[] {
  const start = new Date(from);
  const months: string[] = [];
  for (let year = start.getUTCFullYear(), month = start.getUTCMonth(); Date.UTC(year, month, 1) < to; month++) {
    if (month === 12) {
      year++;
      month = 0;
    }
    months.push(`${year}-${String(month + 1).padStart(2, '0')}`);
  }
  return months;
}

const byLabel = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function toRow(month: string | null, group: string | null, reached: readonly number[]): FunnelRow {
  return {
    month,
    group,
    stages: FUNNEL_STAGES.map((stage, index) => {
      const count = reached[index] ?? 0;
      return {
        stage,
        count,
        cell: formatCell([
          ['month', month],
          ['group', group],
          ['stage', stage],
        ]),
        rate: index === 0 ? null : rateOf(count, reached[index - 1] ?? 0),
      };
    }),
  };
}

/**
 * The funnel report from its counts: the whole period first, then each group (most leads
 * first), then every month of the period (empty ones too), then each month's groups. Groups are
 * ordered here, not by the database, so that PostgreSQL and PGlite (whose collations may differ)
 * answer alike.
 */
export function buildFunnelReport(
  counts: readonly FunnelCounts[],
  period: { from: number; to: number },
  by: Split | null,
): FunnelReport {
  const zero = FUNNEL_STAGES.map(() => 0);
  const find = (month: string | null, group: string | null) =>
    counts.find((row) => row.month === month && row.group === group)?.reached ?? zero;
  const biggestFirst = (a: FunnelCounts, b: FunnelCounts) =>
    (b.reached[0] ?? 0) - (a.reached[0] ?? 0) || byLabel(a.group ?? '', b.group ?? '');
  const overall = find(null, null);
  const rows: FunnelRow[] = [toRow(null, null, overall)];
  const groups = counts.filter((row) => row.month === null && row.group !== null).sort(biggestFirst);
  for (const row of groups) rows.push(toRow(null, row.group, row.reached));
  const months = monthsBetween(period.from, period.to);
  for (const month of months) rows.push(toRow(month, null, find(month, null)));
  const monthGroups = counts
    .filter((row) => row.month !== null && row.group !== null)
    .sort((a, b) => byLabel(a.month ?? '', b.month ?? '') || biggestFirst(a, b));
  for (const row of monthGroups) rows.push(toRow(row.month, row.group, row.reached));
  const mql = overall[1] ?? 0;
  const sql = overall[3] ?? 0;
  return {
    report: 'funnel',
    from: new Date(period.from).toISOString(),
    to: new Date(period.to).toISOString(),
    by,
    headline: {
      rate: rateOf(sql, mql),
      mql: { count: mql, cell: formatCell([['stage', 'mql']]) },
      sql: { count: sql, cell: formatCell([['stage', 'sql']]) },
    },
    rows,
  };
}
