import { assertUnreachable } from '../result.ts';
import type {
  FunnelReport,
  GradeTemperatureReport,
  RecycleReport,
  Report,
  ReportLead,
  RevenueReport,
  SlaReport,
  TimeInStageReport,
} from './report-types.ts';

/** A column of a text table: its title and which side its values line up on. */
interface Column {
  title: string;
  align: 'left' | 'right';
}

/** A table for the terminal: a header, a rule, and the rows with aligned columns. */
export function formatTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = columns.map((column, index) =>
    Math.max(column.title.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((column, index) => {
        const text = cells[index] ?? '';
        const width = widths[index] ?? 0;
        return column.align === 'right' ? text.padStart(width) : text.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((column) => column.title)),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.map(line),
  ].join('\n');
}

/** `33.3%`, or `–` when there is nothing to divide by. */
export function formatRate(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)}%`;
}

/** A length of time in its two largest units: `2d 4h`, `3h 12m`, `45m`, `30s`; `–` for none. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '–';
  const whole = Math.round(seconds);
  const [days, hours, minutes] = [
    Math.floor(whole / 86_400),
    Math.floor((whole % 86_400) / 3_600),
    Math.floor((whole % 3_600) / 60),
  ];
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  return minutes > 0 ? `${minutes}m` : `${whole}s`;
}

/** A period's bound: the date alone at midnight UTC, else the instant to the second. */
function formatInstant(iso: string): string {
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

function heading(title: string, report: { from: string; to: string }, by?: string | null): string {
  const split = by ? `, by ${by}` : '';
  return `${title} from ${formatInstant(report.from)} until ${formatInstant(report.to)} (exclusive)${split}`;
}

const left = (title: string): Column => ({ title, align: 'left' });
const right = (title: string): Column => ({ title, align: 'right' });

function formatFunnel(report: FunnelReport): string {
  const stages = report.rows[0]?.stages.map((stage) => stage.stage) ?? [];
  const rows = report.rows.map((row) => [
    row.month ?? 'all',
    ...(report.by ? [row.group ?? 'all'] : []),
    ...row.stages.map((stage) =>
      stage.rate === null ? String(stage.count) : `${stage.count} (${formatRate(stage.rate)})`,
    ),
  ]);
  const { rate, mql, sql } = report.headline;
  return [
    heading('Funnel of the leads that entered', report, report.by),
    `MQL → SQL: ${formatRate(rate)} (${sql.count} of ${mql.count})`,
    '',
    formatTable([left('month'), ...(report.by ? [left(report.by)] : []), ...stages.map(right)], rows),
  ].join('\n');
}

function formatTimeInStage(report: TimeInStageReport): string {
  const rows = report.stages.map((stage) => [
    stage.stage,
    String(stage.stays),
    String(stage.leads.count),
    formatSeconds(stage.medianSeconds),
    formatSeconds(stage.p90Seconds),
  ]);
  return [
    heading('Time in stage of the stays that ended', report),
    '',
    formatTable([left('stage'), right('stays'), right('leads'), right('median'), right('p90')], rows),
  ].join('\n');
}

function formatSla(report: SlaReport): string {
  const rows = [{ owner: 'all', ...report.total }, ...report.owners].map((row) => [
    row.owner,
    String(row.due.count),
    String(row.inTime.count),
    formatRate(row.inTimeRate),
    String(row.breached.count),
    formatSeconds(row.medianSecondsToFirstTouch),
  ]);
  const columns = [
    left('owner'),
    right('due'),
    right('in time'),
    right('share'),
    right('breached'),
    right('median to first touch'),
  ];
  return [heading('SLA of the hand-offs due', report), '', formatTable(columns, rows)].join('\n');
}

function formatRecycle(report: RecycleReport): string {
  const rows = [report.total, ...report.reasons].map((row) => [
    row.reason ?? 'all',
    String(row.recycled.count),
    String(row.requalified.count),
    formatRate(row.requalifiedRate),
    formatSeconds(row.medianSecondsToRequalify),
  ]);
  const columns = [left('reason'), right('recycled'), right('re-qualified'), right('share'), right('median to re-MQL')];
  return [heading('Leads recycled', report), '', formatTable(columns, rows)].join('\n');
}

function formatGradeTemperature(report: GradeTemperatureReport): string {
  const rows = [...report.cells, report.total].map((row) => [
    row.grade === null ? 'all' : `${row.grade}-${row.temperature}`,
    String(row.leads.count),
    String(row.sql.count),
    formatRate(row.sqlRate),
    String(row.won.count),
    formatRate(row.wonRate),
  ]);
  const columns = [left('cell'), right('leads'), right('SQL'), right('to SQL'), right('won'), right('to won')];
  return [heading('Grade × temperature of the leads that entered', report), '', formatTable(columns, rows)].join('\n');
}

const money = (amount: number) =>
  amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function formatRevenue(report: RevenueReport): string {
  const rows = [...report.rows, ...report.totals].map((row) => [
    row.group ?? 'all',
    row.currency,
    money(row.amount),
    String(row.deals),
    String(row.leads.count),
  ]);
  const columns = [left(report.by), left('currency'), right('won'), right('deals'), right('leads')];
  return [heading('Revenue won', report, report.by), '', formatTable(columns, rows)].join('\n');
}

/** A report as text tables for the terminal: counts with percentages, times as `2d 4h`. */
export function formatReport(report: Report): string {
  switch (report.report) {
    case 'funnel':
      return formatFunnel(report);
    case 'time-in-stage':
      return formatTimeInStage(report);
    case 'sla':
      return formatSla(report);
    case 'recycle':
      return formatRecycle(report);
    case 'grade-temperature':
      return formatGradeTemperature(report);
    case 'revenue':
      return formatRevenue(report);
    default:
      return assertUnreachable(report);
  }
}

/** The leads behind a figure, as a table. */
export function formatLeads(leads: readonly ReportLead[]): string {
  const rows = leads.map((lead) => [
    lead.email ?? '',
    lead.name ?? '',
    lead.stage,
    lead.score.toFixed(2),
    lead.owner ?? '',
    lead.id,
  ]);
  const columns = [left('email'), left('name'), left('stage'), right('score'), left('owner'), left('id')];
  return formatTable(columns, rows);
}
