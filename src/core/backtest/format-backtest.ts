import { formatRate, formatTable } from '../insight/format-report.ts';
import type { BacktestColumn, BacktestReport } from './backtest-report.ts';

const left = (title: string) => ({ title, align: 'left' as const });
const right = (title: string) => ({ title, align: 'right' as const });

/** A period's bound: the date alone at midnight UTC, else the instant to the second. */
function formatBound(iso: string): string {
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

const count = (value: number) => value.toLocaleString('en');
const plural = (value: number, noun: string) => `${count(value)} ${noun}${value === 1 ? '' : 's'}`;
const days = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)}d`);
const minute = (iso: string | null) => (iso === null ? '–' : `${iso.slice(0, 16).replace('T', ' ')}`);

/** The backtest for a terminal: the two playbooks side by side, the weekly load, the leads that change class. */
export function formatBacktest(report: BacktestReport): string {
  const { published, draft } = report.columns;
  const { contacts } = report;
  const lines = [
    `Backtest from ${formatBound(report.period.from)} until ${formatBound(report.period.to)} (exclusive): ` +
      `${count(contacts.replayed)} leads replayed, ${count(contacts.won)} of them won` +
      (contacts.alreadyCustomers > 0
        ? `; left out: ${plural(contacts.alreadyCustomers, 'customer')} won before it`
        : ''),
    '',
    formatColumns(report),
    '',
    formatEarlier(report),
    '',
    formatTable(
      [left('week'), left('start'), right('published'), right('draft')],
      report.weeks.map((week) => [
        week.week,
        `${week.start}${week.partial ? '*' : ''}`,
        count(week.published),
        count(week.draft),
      ]),
    ),
  ];
  if (report.weeks.some((week) => week.partial)) lines.push('* only part of the week is in the period');
  lines.push('', formatRules(published, draft), '', formatChanged(report));
  return lines.join('\n');
}

function formatColumns(report: BacktestReport): string {
  const { published, draft } = report.columns;
  const row = (label: string, value: (column: BacktestColumn) => string) => [label, value(published), value(draft)];
  return formatTable(
    [left(''), right(`published v${report.published.version}`), right('draft')],
    [
      ['playbook', report.published.name, report.draft.name],
      row('MQLs', (column) => count(column.mqls)),
      row('MQLs per week, mean', (column) => column.mqlsPerWeek.mean.toFixed(1)),
      row('MQLs per week, peak', (column) => count(column.mqlsPerWeek.peak)),
      row('won after MQL', (column) => count(column.wonCaught)),
      row('precision (won / MQLs)', (column) => formatRate(column.precision)),
      row(`recall (of ${count(report.contacts.won)} won)`, (column) => formatRate(column.recall)),
      row('median MQL → win', (column) => days(column.medianDaysToWin)),
    ],
  );
}

function formatEarlier(report: BacktestReport): string {
  const { bothCaught, medianDays } = report.earlier;
  if (bothCaught === 0 || medianDays === null) return 'No won lead was caught by both playbooks.';
  const when =
    medianDays === 0
      ? 'at the same time (median)'
      : `a median ${Math.abs(medianDays).toFixed(1)} days ${medianDays > 0 ? 'earlier' : 'later'} with the draft`;
  return `${count(bothCaught)} won leads caught by both: ${when}.`;
}

function formatRules(published: BacktestColumn, draft: BacktestColumn): string {
  const keys = new Map<string, { rule: string; kind: string }>();
  for (const item of [...published.byRule, ...draft.byRule]) keys.set(`${item.kind}:${item.rule}`, item);
  const mqlsOf = (column: BacktestColumn, key: string) =>
    column.byRule.find((item) => `${item.kind}:${item.rule}` === key)?.mqls ?? 0;
  const rows = [...keys.entries()].map(([key, item]) => [
    item.rule,
    item.kind === 'hand-raise' ? 'hand-raiser' : 'MQL criterion',
    count(mqlsOf(published, key)),
    count(mqlsOf(draft, key)),
  ]);
  if (rows.length === 0) return 'MQLs by rule: none.';
  return formatTable([left('MQLs by rule'), left('kind'), right('published'), right('draft')], rows);
}

function formatChanged(report: BacktestReport): string {
  const { changed } = report;
  if (changed.total === 0) return 'No lead changes class: both playbooks qualify the same leads.';
  const heading =
    `${count(changed.total)} leads change class: ${count(changed.draftOnly)} MQL under the draft only ` +
    `(${count(changed.draftOnlyWon)} won), ${count(changed.publishedOnly)} under the published playbook only ` +
    `(${count(changed.publishedOnlyWon)} won)`;
  if (changed.items.length === 0) return heading;
  const shown = changed.items.length < changed.total ? `; the first ${changed.items.length}, won leads first:` : ':';
  return `${heading}${shown}\n${formatTable(
    [left('email'), left('name'), left('published MQL'), left('draft MQL'), left('outcome')],
    changed.items.map((item) => [
      item.email ?? item.contactId,
      item.name ?? '',
      minute(item.publishedMqlAt),
      minute(item.draftMqlAt),
      item.outcome === null ? '' : `${item.outcome.kind} ${item.outcome.at.slice(0, 10)}`,
    ]),
  )}`;
}
