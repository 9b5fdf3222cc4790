import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  type BusinessCalendar,
  businessTimeBetween,
} from '../../../src/core/handoff/business-calendar.ts';
import { DAY, HOUR } from '../../helpers/time.ts';

const at = (iso: string) => Date.parse(iso);

describe('business time invariants', () => {
  const FROM = at('2026-01-01T00:00:00Z');
  const TO = at('2027-12-31T00:00:00Z');
  const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const clockTime = (quarter: number) =>
    `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;

  // Quarter-hour hours make openings and closings land on DST transitions often.
  const calendarArbitrary: fc.Arbitrary<BusinessCalendar> = fc
    .record({
      timeZone: fc.constantFrom(
        'Europe/Berlin',
        'America/New_York',
        'America/Santiago',
        'Australia/Lord_Howe',
        'Asia/Kolkata',
        'UTC',
      ),
      days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
      quarters: fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 2, maxLength: 2 }),
      holidays: fc.uniqueArray(fc.integer({ min: 0, max: 730 }), { maxLength: 30 }),
    })
    .map(({ timeZone, days, quarters, holidays }) => {
      const [opens = 0, closes = 96] = [...quarters].sort((a, b) => a - b);
      return {
        timeZone,
        days,
        opens: clockTime(opens),
        closes: clockTime(closes),
        holidays: holidays.map((day) => isoDate(FROM + day * DAY)),
      };
    });
  const startArbitrary = fc.integer({ min: FROM, max: TO });
  const durationArbitrary = fc.oneof(fc.integer({ min: 0, max: HOUR }), fc.integer({ min: 0, max: 2 * DAY }));
  const positiveDuration = fc.integer({ min: 1, max: DAY });

  const localDate = (timeZone: string, ms: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(ms);
    const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value;
    const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(part('weekday') ?? '') + 1;
    return { weekday, date: `${part('year')}-${part('month')}-${part('day')}` };
  };

  it('a longer duration never gives an earlier deadline', () => {
    fc.assert(
      fc.property(calendarArbitrary, startArbitrary, durationArbitrary, durationArbitrary, (calendar, start, a, b) => {
        const [shorter, longer] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(calendar, start, shorter)).toBeLessThanOrEqual(addBusinessTime(calendar, start, longer));
      }),
      { numRuns: 150 },
    );
  });

  it('adding a then b equals adding a + b', () => {
    fc.assert(
      fc.property(calendarArbitrary, startArbitrary, positiveDuration, positiveDuration, (calendar, start, a, b) => {
        const stepwise = addBusinessTime(calendar, addBusinessTime(calendar, start, a), b);
        expect(stepwise).toBe(addBusinessTime(calendar, start, a + b));
      }),
      { numRuns: 150 },
    );
  });

  it('the business time between a start and its deadline is the duration, and real time is no shorter', () => {
    fc.assert(
      fc.property(calendarArbitrary, startArbitrary, durationArbitrary, (calendar, start, duration) => {
        const due = addBusinessTime(calendar, start, duration);
        expect(businessTimeBetween(calendar, start, due)).toBe(duration);
        expect(due - start).toBeGreaterThanOrEqual(duration);
      }),
      { numRuns: 150 },
    );
  });

  it('a deadline is never on a closed day; a positive one ends open time, a zero one starts it', () => {
    fc.assert(
      fc.property(calendarArbitrary, startArbitrary, durationArbitrary, (calendar, start, duration) => {
        const due = addBusinessTime(calendar, start, duration);
        // A deadline exactly at closing time is allowed, so look at the millisecond it ends.
        const lastOpen = duration > 0 ? due - 1 : due;
        const { weekday, date } = localDate(calendar.timeZone, lastOpen);
        expect(calendar.days).toContain(weekday);
        expect(calendar.holidays).not.toContain(date);
        expect(businessTimeBetween(calendar, lastOpen, lastOpen + 1)).toBe(1);
      }),
      { numRuns: 150 },
    );
  });
});
