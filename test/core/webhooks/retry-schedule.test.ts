import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyResponse,
  type DeliveryOutcome,
  GIVE_UP_AFTER_MS,
  nextAttemptAt,
  parseRetryAfter,
} from '../../../src/core/webhooks/retry-schedule.ts';
import { DAY, HOUR, MINUTE, SECOND } from '../../helpers/time.ts';

const FIRST = Date.UTC(2026, 2, 2, 12, 0, 0);
const NO_JITTER = 0.5;

describe('nextAttemptAt: back-off', () => {
  const cases: Array<{ name: string; attempt: number; wait: number }> = [
    { name: 'the first failure is retried after 5 seconds', attempt: 1, wait: 5 * SECOND },
    { name: 'the second after 30 seconds', attempt: 2, wait: 30 * SECOND },
    { name: 'the third after 2 minutes', attempt: 3, wait: 2 * MINUTE },
    { name: 'the fourth after 10 minutes', attempt: 4, wait: 10 * MINUTE },
    { name: 'the fifth after 30 minutes', attempt: 5, wait: 30 * MINUTE },
    { name: 'the sixth after an hour', attempt: 6, wait: HOUR },
    { name: 'the seventh after 2 hours', attempt: 7, wait: 2 * HOUR },
    { name: 'the eighth after 4 hours', attempt: 8, wait: 4 * HOUR },
    { name: 'the ninth after 8 hours', attempt: 9, wait: 8 * HOUR },
    { name: 'later ones every 8 hours', attempt: 10, wait: 8 * HOUR },
    { name: 'however many attempts were made', attempt: 40, wait: 8 * HOUR },
  ];
  it.each(cases)('$name', ({ attempt, wait }) => {
    expect(nextAttemptAt(attempt, FIRST + HOUR, FIRST, null, NO_JITTER)).toBe(FIRST + HOUR + wait);
  });
});

describe('nextAttemptAt: jitter', () => {
  const cases: Array<{ name: string; random: number; wait: number }> = [
    { name: 'random 0 waits 10% less', random: 0, wait: 9 * MINUTE },
    { name: 'random 0.25 waits 5% less', random: 0.25, wait: 9.5 * MINUTE },
    { name: 'random 0.5 waits exactly the back-off', random: 0.5, wait: 10 * MINUTE },
    { name: 'random 1 waits 10% more', random: 1, wait: 11 * MINUTE },
  ];
  it.each(cases)('$name', ({ random, wait }) => {
    expect(nextAttemptAt(4, FIRST, FIRST, null, random)).toBe(FIRST + wait);
  });
});

describe('nextAttemptAt: Retry-After', () => {
  const cases: Array<{ name: string; attempt: number; retryAfter: number; wait: number }> = [
    { name: 'a longer Retry-After is honoured', attempt: 1, retryAfter: 2 * MINUTE, wait: 2 * MINUTE },
    { name: 'a shorter Retry-After does not shorten the back-off', attempt: 5, retryAfter: MINUTE, wait: 30 * MINUTE },
    { name: 'Retry-After: 0 keeps the back-off', attempt: 1, retryAfter: 0, wait: 5 * SECOND },
    { name: 'a Retry-After of 3 days is capped at 24 hours', attempt: 1, retryAfter: 3 * DAY, wait: DAY },
  ];
  it.each(cases)('$name', ({ attempt, retryAfter, wait }) => {
    expect(nextAttemptAt(attempt, FIRST, FIRST, retryAfter, NO_JITTER)).toBe(FIRST + wait);
  });

  it('a Retry-After that lands past the 3-day limit gives up', () => {
    expect(nextAttemptAt(3, FIRST + 2.5 * DAY, FIRST, DAY, NO_JITTER)).toBeNull();
  });
});

describe('nextAttemptAt: giving up after 3 days', () => {
  const deadline = FIRST + GIVE_UP_AFTER_MS;

  it('schedules an attempt landing exactly 3 days after the first', () => {
    expect(nextAttemptAt(12, deadline - 8 * HOUR, FIRST, null, NO_JITTER)).toBe(deadline);
  });

  it('gives up when the attempt would land 1 ms later', () => {
    expect(nextAttemptAt(12, deadline - 8 * HOUR + 1, FIRST, null, NO_JITTER)).toBeNull();
  });

  it('gives up when jitter alone pushes the attempt past the limit', () => {
    expect(nextAttemptAt(12, deadline - 8 * HOUR, FIRST, null, 0.5001)).toBeNull();
  });

  it('without jitter a dead endpoint gets 17 attempts, the last 71h42m35s after the first', () => {
    const attempts = runSchedule(() => NO_JITTER);
    expect(attempts).toHaveLength(17);
    expect(attempts.at(-1)! - FIRST).toBe(71 * HOUR + 42 * MINUTE + 35 * SECOND);
  });

  it('always ends, only moves forward and never passes 3 days, whatever the jitter and Retry-After', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.option(fc.integer({ min: 0, max: 5 * DAY })), { minLength: 1, maxLength: 40 }),
        (randoms, retryAfters) => {
          let i = 0;
          const attempts = runSchedule(
            () => randoms[i % randoms.length]!,
            () => retryAfters[i++ % retryAfters.length] ?? null,
          );
          for (let k = 1; k < attempts.length; k++) expect(attempts[k]!).toBeGreaterThan(attempts[k - 1]!);
          expect(attempts.at(-1)! - FIRST).toBeLessThanOrEqual(GIVE_UP_AFTER_MS);
        },
      ),
    );
  });
});

describe('nextAttemptAt: bad arguments are bugs', () => {
  it.each([0, -1, 1.5])('throws for attempt %s', (attempt) => {
    expect(() => nextAttemptAt(attempt, FIRST, FIRST, null, NO_JITTER)).toThrow(RangeError);
  });
  it.each([-0.1, 1.1, Number.NaN])('throws for random %s', (random) => {
    expect(() => nextAttemptAt(1, FIRST, FIRST, null, random)).toThrow(RangeError);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 2, 2, 12, 0, 0);
  const cases: Array<{ name: string; header: string | undefined; wait: number | null }> = [
    { name: 'delta-seconds', header: '120', wait: 120 * SECOND },
    { name: 'delta-seconds with spaces', header: ' 0 ', wait: 0 },
    { name: 'an IMF-fixdate 90 s ahead', header: 'Mon, 02 Mar 2026 12:01:30 GMT', wait: 90 * SECOND },
    { name: 'an RFC 850 date an hour ahead', header: 'Monday, 02-Mar-26 13:00:00 GMT', wait: HOUR },
    { name: 'an asctime date, read as GMT', header: 'Mon Mar  2 12:00:10 2026', wait: 10 * SECOND },
    { name: 'a date in the past means now', header: 'Mon, 02 Mar 2026 11:59:59 GMT', wait: 0 },
    { name: 'no header', header: undefined, wait: null },
    { name: 'an empty header', header: '', wait: null },
    { name: 'negative seconds', header: '-5', wait: null },
    { name: 'fractional seconds', header: '1.5', wait: null },
    { name: 'words', header: 'soon', wait: null },
    { name: 'a date without a time', header: 'Mon, 02 Mar 2026', wait: null },
    { name: 'an impossible date', header: 'Mon, 45 Foo 2026 12:00:00 GMT', wait: null },
  ];
  it.each(cases)('$name', ({ header, wait }) => {
    expect(parseRetryAfter(header, now)).toBe(wait);
  });
});

describe('classifyResponse', () => {
  const cases: Array<{ name: string; status: number | null; outcome: DeliveryOutcome }> = [
    { name: '200 is delivered', status: 200, outcome: 'delivered' },
    { name: '204 is delivered', status: 204, outcome: 'delivered' },
    { name: '299 is delivered', status: 299, outcome: 'delivered' },
    { name: '410 Gone stops and disables the endpoint', status: 410, outcome: 'gone' },
    { name: 'a network error or timeout is retried', status: null, outcome: 'retry' },
    { name: 'a redirect is retried, not followed', status: 301, outcome: 'retry' },
    { name: '400 is retried', status: 400, outcome: 'retry' },
    { name: '401 is retried', status: 401, outcome: 'retry' },
    { name: '404 is retried', status: 404, outcome: 'retry' },
    { name: '429 is retried', status: 429, outcome: 'retry' },
    { name: '500 is retried', status: 500, outcome: 'retry' },
    { name: '503 is retried', status: 503, outcome: 'retry' },
  ];
  it.each(cases)('$name', ({ status, outcome }) => {
    expect(classifyResponse(status)).toBe(outcome);
  });
});

/** Attempt times of a delivery that fails every time, from the first attempt until the schedule gives up. */
function runSchedule(random: () => number, retryAfter: () => number | null = () => null): number[] {
  const attempts = [FIRST];
  for (;;) {
    const next = nextAttemptAt(attempts.length, attempts.at(-1)!, FIRST, retryAfter(), random());
    if (next === null) return attempts;
    attempts.push(next);
  }
}
