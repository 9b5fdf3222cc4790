import type { BacktestColumn, BacktestReport, BacktestWeek, ChangedLead } from './backtest-report.ts';
import { isoWeekLabel, isoWeekStart, WEEK_MS } from './iso-week.ts';
import type { ReplayedMql } from './replay-first-mql.ts';

const DAY_MS = 86_400_000;

/** One replayed lead under both playbooks, with what finally happened to it. */
export interface ReplayedLead {
  id: string;
  email: string | null;
  name: string | null;
  published: ReplayedMql | null;
  draft: ReplayedMql | null;
  /** Its first `won` outcome at or after `from`; the replay stops there (a customer is no lead). */
  wonAt: number | null;
  /** What the list of changed leads shows: the win, else its latest outcome. */
  outcome: { kind: string; at: number } | null;
}

interface ColumnTally {
  mqls: number;
  wonCaught: number;
  daysToWin: number[];
  byRule: Map<string, { rule: string; kind: ReplayedMql['kind']; mqls: number }>;
}

/**
 * The running totals of a backtest: counts, weekly load, and the few lists it needs whole (days
 * from MQL to win, one number per caught win; the changed leads, at most `limit`). Leads may
 * come in any order: the summary is the same.
 */
export interface BacktestTally {
  period: { from: number; to: number };
  limit: number;
  replayed: number;
  alreadyCustomers: number;
  won: number;
  columns: { published: ColumnTally; draft: ColumnTally };
  weeks: Map<number, { published: number; draft: number }>;
  earlierDays: number[];
  changed: { draftOnly: number; publishedOnly: number; draftOnlyWon: number; publishedOnlyWon: number };
  /** The changed leads shown, won leads first, then by contact id; at most `limit`. */
  shown: Array<{ won: boolean; lead: ChangedLead }>;
}

function emptyColumn(): ColumnTally {
  return { mqls: 0, wonCaught: 0, daysToWin: [], byRule: new Map() };
}

export function createBacktestTally(period: { from: number; to: number }, limit = 100): BacktestTally {
  return {
    period,
    limit,
    replayed: 0,
    alreadyCustomers: 0,
    won: 0,
    columns: { published: emptyColumn(), draft: emptyColumn() },
    weeks: new Map(),
    earlierDays: [],
    changed: { draftOnly: 0, publishedOnly: 0, draftOnlyWon: 0, publishedOnlyWon: 0 },
    shown: [],
  };
}

/** Counts a contact left out because it was a customer before the period (won before `from`). */
export function tallyAlreadyCustomer(tally: BacktestTally): void {
  tally.alreadyCustomers++;
}

/** Adds one replayed lead to the totals. */
export function tallyLead(tally: BacktestTally, lead: ReplayedLead): void {
  tally.replayed++;
  if (lead.wonAt !== null) tally.won++;
  for (const side of ['published', 'draft'] as const) {
    const mql = lead[side];
    if (mql === null) continue;
    const column = tally.columns[side];
    column.mqls++;
    const key = `${mql.kind}:${mql.rule}`;
    const rule = column.byRule.get(key) ?? { rule: mql.rule, kind: mql.kind, mqls: 0 };
    rule.mqls++;
    column.byRule.set(key, rule);
    const week = isoWeekStart(mql.at);
    const counts = tally.weeks.get(week) ?? { published: 0, draft: 0 };
    counts[side]++;
    tally.weeks.set(week, counts);
    if (lead.wonAt !== null) {
      column.wonCaught++;
      column.daysToWin.push((lead.wonAt - mql.at) / DAY_MS);
    }
  }
  if (lead.published !== null && lead.draft !== null && lead.wonAt !== null) {
    tally.earlierDays.push((lead.published.at - lead.draft.at) / DAY_MS);
  }
  if ((lead.published === null) !== (lead.draft === null)) tallyChanged(tally, lead);
}

function tallyChanged(tally: BacktestTally, lead: ReplayedLead): void {
  const won = lead.wonAt !== null;
  if (lead.draft !== null) {
    tally.changed.draftOnly++;
    if (won) tally.changed.draftOnlyWon++;
  } else {
    tally.changed.publishedOnly++;
    if (won) tally.changed.publishedOnlyWon++;
  }
  if (tally.limit === 0) return;
  const entry = { won, lead: changedLead(lead) };
  const before = (a: typeof entry, b: typeof entry) => (a.won !== b.won ? a.won : a.lead.contactId < b.lead.contactId);
  const { shown } = tally;
  if (shown.length >= tally.limit && !before(entry, shown[shown.length - 1]!)) return;
  let index = shown.length;
  while (index > 0 && before(entry, shown[index - 1]!)) index--;
  shown.splice(index, 0, entry);
  if (shown.length > tally.limit) shown.pop();
}

function changedLead(lead: ReplayedLead): ChangedLead {
  const iso = (mql: ReplayedMql | null) => (mql === null ? null : new Date(mql.at).toISOString());
  return {
    contactId: lead.id,
    email: lead.email,
    name: lead.name,
    publishedMqlAt: iso(lead.published),
    draftMqlAt: iso(lead.draft),
    outcome: lead.outcome === null ? null : { kind: lead.outcome.kind, at: new Date(lead.outcome.at).toISOString() },
  };
}

/** The report from the totals: the two columns side by side, the weekly load and the changed leads. */
export function summarizeBacktest(
  tally: BacktestTally,
  playbooks: { published: { version: number; name: string }; draft: { name: string } },
): BacktestReport {
  const { from, to } = tally.period;
  const weeks: BacktestWeek[] = [];
  for (let start = isoWeekStart(from); start < to; start += WEEK_MS) {
    const counts = tally.weeks.get(start) ?? { published: 0, draft: 0 };
    weeks.push({
      week: isoWeekLabel(start),
      start: new Date(start).toISOString().slice(0, 10),
      partial: start < from || start + WEEK_MS > to,
      published: counts.published,
      draft: counts.draft,
    });
  }
  const column = (side: 'published' | 'draft'): BacktestColumn => {
    const counts = tally.columns[side];
    return {
      mqls: counts.mqls,
      wonCaught: counts.wonCaught,
      precision: ratio(counts.wonCaught, counts.mqls),
      recall: ratio(counts.wonCaught, tally.won),
      medianDaysToWin: median(counts.daysToWin),
      mqlsPerWeek: {
        mean: Math.round((counts.mqls / ((to - from) / WEEK_MS)) * 10) / 10,
        peak: Math.max(0, ...weeks.map((week) => week[side])),
      },
      byRule: [...counts.byRule.values()].sort(
        (a, b) => b.mqls - a.mqls || compareText(a.rule, b.rule) || compareText(a.kind, b.kind),
      ),
    };
  };
  return {
    period: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    published: playbooks.published,
    draft: playbooks.draft,
    contacts: { replayed: tally.replayed, alreadyCustomers: tally.alreadyCustomers, won: tally.won },
    columns: { published: column('published'), draft: column('draft') },
    earlier: { bothCaught: tally.earlierDays.length, medianDays: median(tally.earlierDays) },
    weeks,
    changed: {
      total: tally.changed.draftOnly + tally.changed.publishedOnly,
      ...tally.changed,
      items: tally.shown.map((entry) => entry.lead),
      limit: tally.limit,
    },
  };
}

/** A share to four decimals, or null when there is nothing to divide by. */
function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

/** The median to a tenth, or null for none. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value * 10) / 10;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
