import { err, type Failure, ok, type Result } from '../result.ts';
import {
  isReportName,
  isSplit,
  REPORT_NAMES,
  REPORT_SPLITS,
  type ReportName,
  SPLITS,
  type Split,
} from './report-types.ts';

/** What every report runs over: `[from, to)` in ms since the epoch, its split, and the instant it runs at. */
export interface ReportParams {
  from: number;
  to: number;
  by: Split | null;
  now: number;
}

export type ReportQueryFailure = Failure<
  'unknown-report' | 'unknown-split' | 'split-not-offered' | 'invalid-date' | 'empty-period' | 'period-too-long'
>;

/** A report covers at most this many years (the funnel has a row per month). */
export const MAX_PERIOD_YEARS = 10;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * A date (`2026-01-31`, midnight UTC) or an instant with its offset (`2026-01-31T09:30:00Z`) as ms
 * since the epoch, or null when it is neither (or names a day that does not exist).
 */
export function parseReportDate(text: string): number | null {
  const trimmed = text.trim();
  const date = DATE.exec(trimmed);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const ms = Date.UTC(year, month - 1, day);
    const back = new Date(ms);
    const exists = back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day;
    return exists && year >= 1900 ? ms : null;
  }
  if (!INSTANT.test(trimmed)) return null;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) || new Date(ms).getUTCFullYear() < 1900 ? null : ms;
}

/** The same instant `years` calendar years earlier (29 February falls back to 28 February's day count). */
export function yearsBefore(ms: number, years: number): number {
  const at = new Date(ms);
  const shifted = new Date(ms);
  shifted.setUTCFullYear(at.getUTCFullYear() - years);
  // 29 February of a leap year has no twin: JavaScript rolls it to 1 March.
  if (shifted.getUTCMonth() !== at.getUTCMonth()) shifted.setUTCDate(0);
  return shifted.getTime();
}

function describeDate(name: string, text: string) {
  return `\`${name}\` must be a date like 2026-01-31 or an instant like 2026-01-31T09:30:00Z, got \`${text}\``;
}

/**
 * Checks a report request: the report's name, its period (`to` defaults to `now`, `from` to
 * twelve months before `to`) and its split (the report's default when none is given). Each
 * refusal says what to send instead.
 */
export function parseReportQuery(
  name: string,
  query: { from?: string; to?: string; by?: string },
  now: number,
): Result<{ report: ReportName; params: ReportParams }, ReportQueryFailure> {
  if (!isReportName(name)) {
    return err({
      kind: 'unknown-report',
      message: `there is no report \`${name}\`; use one of ${REPORT_NAMES.join(', ')}`,
      details: { allowed: REPORT_NAMES },
    });
  }
  const to = query.to === undefined || query.to === '' ? now : parseReportDate(query.to);
  if (to === null)
    return err({ kind: 'invalid-date', message: describeDate('to', query.to ?? ''), details: { field: 'to' } });
  const from = query.from === undefined || query.from === '' ? yearsBefore(to, 1) : parseReportDate(query.from);
  if (from === null) {
    return err({ kind: 'invalid-date', message: describeDate('from', query.from ?? ''), details: { field: 'from' } });
  }
  if (from >= to) {
    const [fromText, toText] = [new Date(from).toISOString(), new Date(to).toISOString()];
    return err({
      kind: 'empty-period',
      message: `\`from\` (${fromText}) must be before \`to\` (${toText}): move \`from\` earlier or \`to\` later`,
      details: { from: fromText, to: toText },
    });
  }
  if (from < yearsBefore(to, MAX_PERIOD_YEARS)) {
    return err({
      kind: 'period-too-long',
      message: `a report covers at most ${MAX_PERIOD_YEARS} years; move \`from\` to ${new Date(yearsBefore(to, MAX_PERIOD_YEARS)).toISOString()} or later`,
    });
  }
  const by = parseSplit(name, query.by);
  return by.ok ? ok({ report: name, params: { from, to, by: by.value, now } }) : by;
}

function parseSplit(report: ReportName, by: string | undefined): Result<Split | null, ReportQueryFailure> {
  const offered = REPORT_SPLITS[report];
  if (by === undefined || by === '') return ok(offered.defaultSplit);
  if (!isSplit(by)) {
    return err({
      kind: 'unknown-split',
      message: `\`by\` must be one of ${SPLITS.join(', ')}, got \`${by}\``,
      details: { allowed: offered.splits },
    });
  }
  if (!offered.splits.includes(by)) {
    const message =
      offered.splits.length === 0
        ? `the ${report} report takes no \`by\` split; leave \`by\` out (the funnel and revenue reports take one)`
        : `the ${report} report splits by one of ${offered.splits.join(', ')}, got \`${by}\``;
    return err({ kind: 'split-not-offered', message, details: { allowed: offered.splits } });
  }
  return ok(by);
}
