import { parseReportDate } from '../insight/report-query.ts';
import { err, type Failure, ok, type Result } from '../result.ts';

/** What a backtest replays: `[from, to)` in ms since the epoch. */
export interface BacktestPeriod {
  from: number;
  to: number;
}

export type PeriodFailure = Failure<'invalid-date' | 'empty-period' | 'period-too-long'>;

const DAY_MS = 86_400_000;

/** A backtest covers at most this many days (about three years: 157 weeks in the weekly load). */
export const MAX_PERIOD_DAYS = 1_096;

/** Months a backtest covers when no `from` is given. */
export const DEFAULT_MONTHS = 3;

/** The same day of the month `months` earlier (a 31st falls back to the month's last day), at the same time. */
export function monthsBefore(ms: number, months: number): number {
  const at = new Date(ms);
  const shifted = new Date(ms);
  shifted.setUTCDate(1);
  shifted.setUTCMonth(at.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, 0)).getUTCDate();
  shifted.setUTCDate(Math.min(at.getUTCDate(), lastDay));
  return shifted.getTime();
}

function describeDate(name: string, text: string) {
  return `\`${name}\` must be a date like 2026-01-31 or an instant like 2026-01-31T09:30:00Z, got \`${text}\``;
}

/**
 * A backtest's period from what a person typed: a date (midnight UTC) or an ISO instant with its
 * offset. `to` (excluded) defaults to the start of today (UTC), so runs on the same day agree;
 * `from` to three months before `to`. Each refusal says what to send instead.
 */
export function parseBacktestPeriod(
  query: { from?: string; to?: string },
  now: number,
): Result<BacktestPeriod, PeriodFailure> {
  const to = blank(query.to) ? Math.floor(now / DAY_MS) * DAY_MS : parseReportDate(query.to ?? '');
  if (to === null)
    return err({ kind: 'invalid-date', message: describeDate('to', query.to ?? ''), details: { field: 'to' } });
  const from = blank(query.from) ? monthsBefore(to, DEFAULT_MONTHS) : parseReportDate(query.from ?? '');
  if (from === null) {
    return err({ kind: 'invalid-date', message: describeDate('from', query.from ?? ''), details: { field: 'from' } });
  }
  const [fromText, toText] = [new Date(from).toISOString(), new Date(to).toISOString()];
  if (from >= to) {
    return err({
      kind: 'empty-period',
      message: `\`from\` (${fromText}) must be before \`to\` (${toText}): move \`from\` earlier or \`to\` later`,
      details: { from: fromText, to: toText },
    });
  }
  if (to - from > MAX_PERIOD_DAYS * DAY_MS) {
    return err({
      kind: 'period-too-long',
      message: `a backtest covers at most ${MAX_PERIOD_DAYS} days; move \`from\` to ${new Date(to - MAX_PERIOD_DAYS * DAY_MS).toISOString()} or later`,
      details: { from: fromText, to: toText },
    });
  }
  return ok({ from, to });
}

function blank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}
