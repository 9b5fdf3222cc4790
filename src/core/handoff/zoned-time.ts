// Local wall time ↔ instant conversion through Intl, so core needs no time-zone library.
// A "wall" value is a local date and time encoded as if it were UTC milliseconds, which lets
// plain arithmetic (add a day, add a minute) work on local calendars without a Date object.

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

// Building a DateTimeFormat costs far more than using one, and a sweep converts thousands of
// instants in the same few zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is a zone this runtime's Intl knows, e.g. `Europe/Berlin` or `UTC`. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC in milliseconds at `instantMs` (wall time minus instant). */
export function offsetAt(timeZone: string, instantMs: number): number {
  // Intl resolves to whole seconds; flooring first keeps the difference exact.
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  const formatter = formatterFor(timeZone);
  // format() is several times faster than formatToParts(); the parts are the fallback for
  // readings the pattern does not cover, such as years before the common era.
  const match = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/.exec(formatter.format(wholeSecond));
  const fields = match
    ? { month: match[1], day: match[2], year: match[3], hour: match[4], minute: match[5], second: match[6] }
    : fieldsFromParts(formatter.formatToParts(wholeSecond));
  const wall = Date.UTC(
    Number(fields.year),
    Number(fields.month) - 1,
    Number(fields.day),
    Number(fields.hour),
    Number(fields.minute),
    Number(fields.second),
  );
  return wall - wholeSecond;
}

function fieldsFromParts(
  parts: Intl.DateTimeFormatPart[],
): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const fields = { year: '', month: '', day: '', hour: '', minute: '', second: '' };
  for (const part of parts) {
    switch (part.type) {
      case 'year':
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second':
        fields[part.type] = part.value;
    }
  }
  return fields;
}

/**
 * The zone's offset if it is the same a day before `fromWallMs` and a day after `toWallMs`,
 * else null. Lets a caller convert a whole day's wall times with one subtraction each.
 */
export function steadyOffsetAround(timeZone: string, fromWallMs: number, toWallMs: number): number | null {
  const before = offsetAt(timeZone, fromWallMs - DAY_MS);
  return offsetAt(timeZone, toWallMs + DAY_MS) === before ? before : null;
}

/** The local wall time at `instantMs`, encoded as UTC milliseconds. */
export function wallTimeAt(timeZone: string, instantMs: number): number {
  return instantMs + offsetAt(timeZone, instantMs);
}

/**
 * The first instant at which the local clock reads `wallMs` or later.
 *
 * That is the wall time itself when it exists once, its earlier occurrence when a DST fall-back
 * repeats it, and the end of the gap when a DST spring-forward skips it: a shop that opens at
 * 02:30 on the night the clocks jump from 02:00 to 03:00 opens at 03:00.
 */
export function firstInstantAtWallTime(timeZone: string, wallMs: number): number {
  // Offsets lie within ±14h, so every candidate instant falls between these two samples; real
  // zones never change offset twice within two days.
  const offsetBefore = offsetAt(timeZone, wallMs - DAY_MS);
  const offsetAfter = offsetAt(timeZone, wallMs + DAY_MS);
  const underOldOffset = wallMs - offsetBefore;
  if (offsetBefore === offsetAfter) return underOldOffset;
  const underNewOffset = wallMs - offsetAfter;
  const oldFits = offsetAt(timeZone, underOldOffset) === offsetBefore;
  const newFits = offsetAt(timeZone, underNewOffset) === offsetAfter;
  if (oldFits && newFits) return Math.min(underOldOffset, underNewOffset);
  if (oldFits) return underOldOffset;
  if (newFits) return underNewOffset;
  // A gap: the clocks jumped forward, so the new-offset reading is the earlier instant.
  return firstInstantWithOffset(timeZone, underNewOffset, underOldOffset, offsetAfter);
}

// Transitions fall on whole seconds, so bisecting in seconds finds the exact instant.
function firstInstantWithOffset(timeZone: string, fromMs: number, toMs: number, offset: number): number {
  let low = Math.floor(fromMs / 1000);
  let high = Math.ceil(toMs / 1000);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(timeZone, middle * 1000) === offset) high = middle;
    else low = middle;
  }
  return high * 1000;
}
