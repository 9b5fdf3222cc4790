const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Waits before the 2nd, 3rd, … attempt; after the last entry every further retry waits as long
 * as the last entry. Fast at first for blips, then spaced out for a receiver that is down for hours.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5 * SECOND,
  30 * SECOND,
  2 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  4 * HOUR,
  8 * HOUR,
];

/** Each computed delay is moved by up to ±10% so endpoints that failed together do not retry together. */
export const JITTER_FRACTION = 0.1;

/** No attempt is scheduled later than this after the first one; the delivery then counts as failed. */
export const GIVE_UP_AFTER_MS = 3 * DAY;

/** A `Retry-After` longer than this is treated as this long, so one header cannot park a delivery for weeks. */
export const MAX_RETRY_AFTER_MS = DAY;

/**
 * When to make the next delivery attempt, or `null` to give up.
 *
 * - `attempt`: attempts made so far, 1-based (1 after the first failure).
 * - `lastAttemptAt`, `firstAttemptAt`: epoch milliseconds.
 * - `retryAfterMs`: the receiver's `Retry-After` (see {@link parseRetryAfter}), or `null`. It wins when it
 *   asks for a longer wait than the back-off, capped at {@link MAX_RETRY_AFTER_MS}; it never shortens the back-off.
 * - `random`: a number in [0, 1] from the caller, turned into ±{@link JITTER_FRACTION} jitter (0.5 = none).
 *
 * Returns `null` when the next attempt would fall more than {@link GIVE_UP_AFTER_MS} after `firstAttemptAt`.
 */
export function nextAttemptAt(
  attempt: number,
  lastAttemptAt: number,
  firstAttemptAt: number,
  retryAfterMs: number | null,
  random: number,
): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a positive integer (attempts made so far), got ${attempt}`);
  }
  if (!(random >= 0 && random <= 1)) throw new RangeError(`random must be between 0 and 1, got ${random}`);
  const base = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length) - 1]!;
  const jittered = Math.round(base * (1 + JITTER_FRACTION * (2 * random - 1)));
  const requested = retryAfterMs === null ? 0 : Math.min(Math.max(retryAfterMs, 0), MAX_RETRY_AFTER_MS);
  const next = lastAttemptAt + Math.max(jittered, requested);
  return next - firstAttemptAt > GIVE_UP_AFTER_MS ? null : next;
}

/**
 * Reads a `Retry-After` header as a wait in milliseconds from `now` (epoch milliseconds).
 * Accepts delta-seconds (`120`) and an HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`); a date in the
 * past means 0. Returns `null` when the header is absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined, now: number): number | null {
  const value = header?.trim();
  if (value === undefined || value === '') return null;
  if (/^\d+$/.test(value)) return Number(value) * SECOND;
  // Every HTTP-date form (IMF-fixdate, RFC 850, asctime) has a clock time; this also rejects `-5` and `1.5`.
  if (!/\d{1,2}:\d{2}:\d{2}/.test(value)) return null;
  // HTTP-dates are always GMT, but asctime omits the zone and would otherwise parse as local time.
  const at = Date.parse(/\bGMT\b/i.test(value) ? value : `${value} GMT`);
  if (Number.isNaN(at)) return null;
  return Math.max(at - now, 0);
}

/** What a delivery attempt's outcome means for the next step. */
export type DeliveryOutcome = 'delivered' | 'retry' | 'gone';

/**
 * Classifies a receiver's answer: `status` is the HTTP status, or `null` for a network error or timeout.
 * Any 2xx is `delivered`; 410 Gone is `gone` (stop retrying and disable the endpoint, per Standard
 * Webhooks); everything else, redirects and 4xx included, is `retry`.
 */
export function classifyResponse(status: number | null): DeliveryOutcome {
  if (status === null) return 'retry';
  if (status >= 200 && status <= 299) return 'delivered';
  if (status === 410) return 'gone';
  return 'retry';
}
