import { err, ok, type Result } from '../result.ts';
import {
  DAY_MS,
  firstInstantAtWallTime,
  isKnownTimeZone,
  MINUTE_MS,
  steadyOffsetAround,
  wallTimeAt,
} from './zoned-time.ts';

/**
 * Working hours in one time zone. Business time is the union of the windows [opens, closes) on
 * every local date whose weekday is in `days` and which is not a holiday. `opens` and `closes`
 * are wall-clock times, so a 09:00–17:00 day is 8 real hours even when the clocks change.
 */
export interface BusinessCalendar {
  /** IANA time zone the hours and holidays are read in, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
  /** Worked ISO weekdays: 1 = Monday … 7 = Sunday. */
  readonly days: readonly number[];
  /** Local opening time, `HH:MM`. */
  readonly opens: string;
  /** Local closing time, `HH:MM` after `opens`; `24:00` closes at the following midnight. */
  readonly closes: string;
  /** Local dates not worked, `YYYY-MM-DD`. */
  readonly holidays: readonly string[];
}

// A calendar closed for longer than this is a typo in the holiday list, not a business.
const MAX_CLOSED_DAYS = 366;
// Past the validated limit, a walk that still finds no open day means an unchecked calendar.
const MAX_SEARCH_DAYS = 3 * MAX_CLOSED_DAYS;
// Durations are SLA windows; anything this long is a unit mix-up that would walk for ages.
const MAX_DURATION_MS = 10 * 366 * DAY_MS;

interface PreparedCalendar {
  readonly timeZone: string;
  readonly days: ReadonlySet<number>;
  readonly opensMinute: number;
  readonly closesMinute: number;
  /** Local dates as day numbers: days since 1970-01-01. */
  readonly holidays: ReadonlySet<number>;
}

interface OpeningHours {
  readonly opensAt: number;
  readonly closesAt: number;
}

/**
 * Validates a calendar from a playbook, with messages naming the field under `path`.
 * Rejects calendars whose holidays close it for more than a year, so that the arithmetic
 * below always finds an open day soon.
 */
export function checkBusinessCalendar(
  calendar: BusinessCalendar,
  path = 'sla.businessHours',
): Result<BusinessCalendar, string> {
  const prepared = prepareCalendar(calendar, path);
  if (!prepared.ok) return prepared;
  const closure = findLongClosure(prepared.value);
  if (closure !== null) {
    return err(
      `\`${path}.holidays\` close every working day for more than ${MAX_CLOSED_DAYS} days from ${formatDay(closure)}; ` +
        'remove holidays or add working days',
    );
  }
  return ok(calendar);
}

/**
 * The instant at which `durationMs` of business time has elapsed since `startMs`.
 *
 * The clock starts at `startMs` if it is inside a window, else at the next opening; a zero
 * duration therefore returns that start. A positive duration that runs out exactly at a closing
 * time ends at that closing time, not at the next opening. Throws for an invalid calendar or
 * duration: check calendars with `checkBusinessCalendar` first.
 */
export function addBusinessTime(calendar: BusinessCalendar, startMs: number, durationMs: number): number {
  assertInstant(startMs);
  if (!(durationMs >= 0 && durationMs <= MAX_DURATION_MS)) {
    throw new RangeError(`business duration must be between 0 and ten years in ms, got ${durationMs}`);
  }
  const prepared = preparedOrThrow(calendar);
  let remaining = durationMs;
  let closedDays = 0;
  for (let day = localDayAt(prepared.timeZone, startMs); ; day += 1) {
    const hours = openingHoursOn(prepared, day);
    if (hours === null || startMs >= hours.closesAt) {
      closedDays += 1;
      if (closedDays > MAX_SEARCH_DAYS) throw new Error(noOpenDayMessage(prepared, startMs));
      continue;
    }
    closedDays = 0;
    const from = Math.max(startMs, hours.opensAt);
    if (remaining <= hours.closesAt - from) return from + remaining;
    remaining -= hours.closesAt - from;
  }
}

/**
 * The business time elapsed between two instants, 0 when `toMs` is not after `fromMs`.
 * The inverse of `addBusinessTime`: `businessTimeBetween(c, s, addBusinessTime(c, s, d)) === d`.
 */
export function businessTimeBetween(calendar: BusinessCalendar, fromMs: number, toMs: number): number {
  assertInstant(fromMs);
  assertInstant(toMs);
  if (toMs <= fromMs) return 0;
  const prepared = preparedOrThrow(calendar);
  const lastDay = localDayAt(prepared.timeZone, toMs);
  let total = 0;
  for (let day = localDayAt(prepared.timeZone, fromMs); day <= lastDay; day += 1) {
    const hours = openingHoursOn(prepared, day);
    if (hours === null) continue;
    total += Math.max(0, Math.min(toMs, hours.closesAt) - Math.max(fromMs, hours.opensAt));
  }
  return total;
}

// Hours are read per local date and never cross midnight, which is why the loops above can start
// at the local date of their first instant.
function openingHoursOn(calendar: PreparedCalendar, day: number): OpeningHours | null {
  if (!calendar.days.has(isoWeekday(day)) || calendar.holidays.has(day)) return null;
  const opensWall = day * DAY_MS + calendar.opensMinute * MINUTE_MS;
  const closesWall = day * DAY_MS + calendar.closesMinute * MINUTE_MS;
  const offset = steadyOffsetAround(calendar.timeZone, opensWall, closesWall);
  if (offset !== null) return { opensAt: opensWall - offset, closesAt: closesWall - offset };
  const opensAt = firstInstantAtWallTime(calendar.timeZone, opensWall);
  const closesAt = firstInstantAtWallTime(calendar.timeZone, closesWall);
  // Hours that sit wholly inside a DST gap leave nothing to work that day.
  return closesAt > opensAt ? { opensAt, closesAt } : null;
}

function prepareCalendar(calendar: BusinessCalendar, path: string): Result<PreparedCalendar, string> {
  const { timeZone, days, opens, closes, holidays } = calendar;
  if (!isKnownTimeZone(timeZone)) {
    return err(`\`${path}.timeZone\` must be an IANA time zone like Europe/Berlin, got ${JSON.stringify(timeZone)}`);
  }
  if (days.length === 0) return err(`\`${path}.days\` must list at least one working day, 1 = Monday … 7 = Sunday`);
  const badDay = days.find((day) => !Number.isInteger(day) || day < 1 || day > 7);
  if (badDay !== undefined) {
    return err(`\`${path}.days\` must hold ISO weekdays from 1 = Monday to 7 = Sunday, got ${badDay}`);
  }
  const opensMinute = parseLocalTime(opens, false);
  if (opensMinute === null)
    return err(`\`${path}.opens\` must be a local time like 09:00, got ${JSON.stringify(opens)}`);
  const closesMinute = parseLocalTime(closes, true);
  if (closesMinute === null) {
    return err(`\`${path}.closes\` must be a local time like 17:00 or 24:00, got ${JSON.stringify(closes)}`);
  }
  if (closesMinute <= opensMinute) {
    return err(
      `\`${path}.closes\` must be after \`opens\` (${opens}), got ${closes}; hours past midnight are not supported`,
    );
  }
  const holidayDays = new Set<number>();
  for (const [index, text] of holidays.entries()) {
    const day = parseLocalDate(text);
    if (day === null)
      return err(`\`${path}.holidays[${index}]\` must be a date like 2026-12-25, got ${JSON.stringify(text)}`);
    holidayDays.add(day);
  }
  return ok({ timeZone, days: new Set(days), opensMinute, closesMinute, holidays: holidayDays });
}

function preparedOrThrow(calendar: BusinessCalendar): PreparedCalendar {
  const prepared = prepareCalendar(calendar, 'businessHours');
  if (!prepared.ok) throw new Error(`invalid business calendar: ${prepared.error}`);
  return prepared.value;
}

// Walks the span the holidays cover, plus a week either side for the weekly pattern, looking
// for a closed run longer than the limit; returns the run's first day.
function findLongClosure(calendar: PreparedCalendar): number | null {
  const relevant = [...calendar.holidays].filter((day) => calendar.days.has(isoWeekday(day)));
  if (relevant.length === 0) return null;
  const last = Math.max(...relevant) + 7;
  let runStart = Math.min(...relevant) - 7;
  for (let day = runStart; day <= last; day += 1) {
    const open = calendar.days.has(isoWeekday(day)) && !calendar.holidays.has(day);
    if (open) runStart = day + 1;
    else if (day - runStart + 1 > MAX_CLOSED_DAYS) return runStart;
  }
  return null;
}

function noOpenDayMessage(calendar: PreparedCalendar, startMs: number): string {
  const from = new Date(startMs).toISOString();
  return `business calendar in ${calendar.timeZone} has no working hours for ${MAX_SEARCH_DAYS} days after ${from}; check it with checkBusinessCalendar`;
}

function assertInstant(ms: number): void {
  if (!Number.isFinite(ms)) throw new RangeError(`an instant must be finite ms since the epoch, got ${ms}`);
}

function localDayAt(timeZone: string, instantMs: number): number {
  return Math.floor(wallTimeAt(timeZone, instantMs) / DAY_MS);
}

// 1970-01-01, day 0, was a Thursday.
function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function parseLocalTime(text: string, allowEndOfDay: boolean): number | null {
  const match = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(text);
  if (match) return Number(match[1]) * 60 + Number(match[2]);
  return allowEndOfDay && text === '24:00' ? 24 * 60 : null;
}

function parseLocalDate(text: string): number | null {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text);
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Date.UTC rolls 2026-02-30 over into March; a round trip catches it.
  return formatDay(ms / DAY_MS) === text ? ms / DAY_MS : null;
}

function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
