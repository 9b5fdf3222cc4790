import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  type BusinessCalendar,
  businessTimeBetween,
  checkBusinessCalendar,
} from '../../../src/core/handoff/business-calendar.ts';
import { DAY, HOUR, MINUTE, SECOND } from '../../helpers/time.ts';

const at = (iso: string) => Date.parse(iso);

const berlin: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  days: [1, 2, 3, 4, 5],
  opens: '09:00',
  closes: '17:00',
  holidays: [],
};
const newYork: BusinessCalendar = { ...berlin, timeZone: 'America/New_York' };
const auckland: BusinessCalendar = { ...berlin, timeZone: 'Pacific/Auckland', holidays: ['2026-01-19'] };
const berlinNights: BusinessCalendar = { ...berlin, days: [1, 2, 3, 4, 5, 6, 7], opens: '00:00', closes: '06:00' };
const berlinEarly: BusinessCalendar = { ...berlinNights, opens: '02:30', closes: '10:00' };
const santiagoEvenings: BusinessCalendar = {
  timeZone: 'America/Santiago',
  days: [1, 2, 3, 4, 5, 6, 7],
  opens: '20:00',
  closes: '24:00',
  holidays: [],
};

// Keeps each scenario to a sentence and one line of data.
const addition = (calendar: BusinessCalendar, start: string, duration: number, due: string) => ({
  calendar,
  start,
  duration,
  due,
});
const span = (calendar: BusinessCalendar, from: string, to: string, elapsed: number) => ({
  calendar,
  from,
  to,
  elapsed,
});

describe('addBusinessTime', () => {
  const cases: Array<{ name: string; calendar: BusinessCalendar; start: string; duration: number; due: string }> = [
    {
      name: 'a lead qualified Friday 16:00 with 8 business hours is due Monday 16:00',
      ...addition(berlin, '2026-01-16T16:00:00+01:00', 8 * HOUR, '2026-01-19T16:00:00+01:00'),
    },
    {
      name: 'a lead qualified on Saturday starts the clock at Monday 09:00',
      ...addition(berlin, '2026-01-17T10:00:00+01:00', 0, '2026-01-19T09:00:00+01:00'),
    },
    {
      name: 'a lead qualified on Saturday with one hour is due Monday 10:00',
      ...addition(berlin, '2026-01-17T10:00:00+01:00', HOUR, '2026-01-19T10:00:00+01:00'),
    },
    {
      name: 'a holiday on the Monday pushes the deadline to Tuesday',
      ...addition(
        { ...berlin, holidays: ['2026-01-19'] },
        '2026-01-16T16:00:00+01:00',
        8 * HOUR,
        '2026-01-20T16:00:00+01:00',
      ),
    },
    {
      name: 'a lead qualified on a holiday waits for the next working day',
      ...addition(
        { ...berlin, holidays: ['2026-01-19'] },
        '2026-01-19T10:00:00+01:00',
        HOUR,
        '2026-01-20T10:00:00+01:00',
      ),
    },
    {
      name: 'holidays are local dates: 20:00Z Sunday is Monday 09:00 in Auckland, a holiday there',
      ...addition(auckland, '2026-01-18T20:00:00Z', HOUR, '2026-01-20T10:00:00+13:00'),
    },
    {
      name: 'across the spring change, Friday 15:00 CET plus 4h is Monday 11:00 CEST',
      ...addition(berlin, '2026-03-27T15:00:00+01:00', 4 * HOUR, '2026-03-30T11:00:00+02:00'),
    },
    {
      name: 'the same deadline in UTC: 14:00Z on Friday becomes 09:00Z on Monday',
      ...addition(berlin, '2026-03-27T14:00:00Z', 4 * HOUR, '2026-03-30T09:00:00Z'),
    },
    {
      name: 'two full days around the spring change end at Monday closing time',
      ...addition(berlin, '2026-03-27T09:00:00+01:00', 16 * HOUR, '2026-03-30T17:00:00+02:00'),
    },
    {
      name: 'across the autumn change, Friday 15:00 CEST plus 4h is Monday 11:00 CET',
      ...addition(berlin, '2026-10-23T15:00:00+02:00', 4 * HOUR, '2026-10-26T11:00:00+01:00'),
    },
    {
      name: '16:59:59 plus one second ends exactly at closing time',
      ...addition(berlin, '2026-01-20T16:59:59+01:00', SECOND, '2026-01-20T17:00:00+01:00'),
    },
    {
      name: '16:59:59 plus two seconds carries one second into the next morning',
      ...addition(berlin, '2026-01-20T16:59:59+01:00', 2 * SECOND, '2026-01-21T09:00:01+01:00'),
    },
    {
      name: '17:00:00 is already closed, so a zero duration waits for the next opening',
      ...addition(berlin, '2026-01-20T17:00:00+01:00', 0, '2026-01-21T09:00:00+01:00'),
    },
    {
      name: '17:00:01 is closed, so one hour runs from the next opening',
      ...addition(berlin, '2026-01-20T17:00:01+01:00', HOUR, '2026-01-21T10:00:00+01:00'),
    },
    {
      name: '08:59:59 with a zero duration moves to the 09:00 opening',
      ...addition(berlin, '2026-01-20T08:59:59+01:00', 0, '2026-01-20T09:00:00+01:00'),
    },
    {
      name: '08:59:59 plus one second ends at 09:00:01',
      ...addition(berlin, '2026-01-20T08:59:59+01:00', SECOND, '2026-01-20T09:00:01+01:00'),
    },
    {
      name: '09:00:00 is open, so a zero duration stays put',
      ...addition(berlin, '2026-01-20T09:00:00+01:00', 0, '2026-01-20T09:00:00+01:00'),
    },
    {
      name: 'a full day from opening ends at that day’s closing, not the next opening',
      ...addition(berlin, '2026-01-20T09:00:00+01:00', 8 * HOUR, '2026-01-20T17:00:00+01:00'),
    },
    {
      name: 'New York in March: Friday 16:00 EST plus 2h is Monday 10:00 EDT',
      ...addition(newYork, '2026-03-06T16:00:00-05:00', 2 * HOUR, '2026-03-09T10:00:00-04:00'),
    },
    {
      name: 'New York in November: Friday 16:00 EDT plus 2h is Monday 10:00 EST',
      ...addition(newYork, '2026-10-30T16:00:00-04:00', 2 * HOUR, '2026-11-02T10:00:00-05:00'),
    },
    {
      name: 'New York: 00:30Z on Monday is still Sunday evening locally',
      ...addition(newYork, '2026-03-09T00:30:00Z', HOUR, '2026-03-09T10:00:00-04:00'),
    },
    {
      name: 'a 00:00–06:00 shift lasts 5 real hours on the night the clocks spring forward',
      ...addition(berlinNights, '2026-03-29T00:00:00+01:00', 5 * HOUR, '2026-03-29T06:00:00+02:00'),
    },
    {
      name: 'one second past that short night spills into the next shift',
      ...addition(berlinNights, '2026-03-29T00:00:00+01:00', 5 * HOUR + SECOND, '2026-03-30T00:00:01+02:00'),
    },
    {
      name: 'a 00:00–06:00 shift lasts 7 real hours on the night the clocks fall back',
      ...addition(berlinNights, '2026-10-25T00:00:00+02:00', 7 * HOUR, '2026-10-25T06:00:00+01:00'),
    },
    {
      name: 'an opening time skipped by spring-forward opens when the gap ends',
      ...addition(berlinEarly, '2026-03-28T12:00:00+01:00', 0, '2026-03-29T03:00:00+02:00'),
    },
    {
      name: 'an opening time repeated by fall-back opens at its first occurrence',
      ...addition(berlinEarly, '2026-10-24T12:00:00+02:00', 0, '2026-10-25T02:30:00+02:00'),
    },
    {
      name: 'one hour after that first 02:30 is the second 02:30',
      ...addition(berlinEarly, '2026-10-24T12:00:00+02:00', HOUR, '2026-10-25T02:30:00+01:00'),
    },
    {
      name: 'a Santiago 20:00–24:00 shift lasts 5 hours when midnight falls back to 23:00',
      ...addition(santiagoEvenings, '2026-04-04T20:00:00-03:00', 5 * HOUR, '2026-04-05T00:00:00-04:00'),
    },
    {
      name: 'a Santiago 20:00–24:00 shift lasts 4 hours and closes at 01:00 when midnight springs forward',
      ...addition(santiagoEvenings, '2026-09-05T20:00:00-04:00', 4 * HOUR, '2026-09-06T01:00:00-03:00'),
    },
    {
      name: 'a minute past that short shift runs into the next evening',
      ...addition(santiagoEvenings, '2026-09-05T20:00:00-04:00', 4 * HOUR + MINUTE, '2026-09-06T20:01:00-03:00'),
    },
  ];
  it.each(cases)('$name', ({ calendar, start, duration, due }) => {
    expect(new Date(addBusinessTime(calendar, at(start), duration)).toISOString()).toBe(
      new Date(at(due)).toISOString(),
    );
  });

  it('throws on a negative duration, which is a bug in the caller', () => {
    expect(() => addBusinessTime(berlin, at('2026-01-20T10:00:00Z'), -1)).toThrow(RangeError);
  });

  it('throws on an unchecked calendar instead of looping when holidays close it for years', () => {
    const mondays = Array.from({ length: 4 * 53 }, (_, week) => new Date(at('2026-01-05') + week * 7 * DAY));
    const calendar = { ...berlin, days: [1], holidays: mondays.map((day) => day.toISOString().slice(0, 10)) };
    expect(() => addBusinessTime(calendar, at('2026-01-01T00:00:00Z'), HOUR)).toThrow(/no working hours/);
  });
});

describe('businessTimeBetween', () => {
  const cases: Array<{ name: string; calendar: BusinessCalendar; from: string; to: string; elapsed: number }> = [
    {
      name: 'Friday 16:00 to Monday 16:00 holds 8 business hours',
      ...span(berlin, '2026-01-16T16:00:00+01:00', '2026-01-19T16:00:00+01:00', 8 * HOUR),
    },
    {
      name: 'an end before the start holds nothing',
      ...span(berlin, '2026-01-20T12:00:00+01:00', '2026-01-20T11:00:00+01:00', 0),
    },
    {
      name: 'a weekend holds nothing',
      ...span(berlin, '2026-01-17T00:00:00+01:00', '2026-01-19T00:00:00+01:00', 0),
    },
    {
      name: 'a week from Monday midnight holds 40 hours',
      ...span(berlin, '2026-01-19T00:00:00+01:00', '2026-01-26T00:00:00+01:00', 40 * HOUR),
    },
    {
      name: 'a holiday takes its day out of the week',
      ...span(
        { ...berlin, holidays: ['2026-01-21'] },
        '2026-01-19T00:00:00+01:00',
        '2026-01-26T00:00:00+01:00',
        32 * HOUR,
      ),
    },
    {
      name: '16:59:59 to 17:00:01 holds one second',
      ...span(berlin, '2026-01-20T16:59:59+01:00', '2026-01-20T17:00:01+01:00', SECOND),
    },
    {
      name: '08:59:59 to 09:00:00 holds nothing',
      ...span(berlin, '2026-01-20T08:59:59+01:00', '2026-01-20T09:00:00+01:00', 0),
    },
    {
      name: 'a span across the spring change counts wall-clock working hours',
      ...span(berlin, '2026-03-27T15:00:00+01:00', '2026-03-30T11:00:00+02:00', 4 * HOUR),
    },
    {
      name: 'the spring-forward night holds 5 hours of a 00:00–06:00 shift',
      ...span(berlinNights, '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00', 5 * HOUR),
    },
    {
      name: 'the fall-back night holds 7 hours of a 00:00–06:00 shift',
      ...span(berlinNights, '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00', 7 * HOUR),
    },
  ];
  it.each(cases)('$name', ({ calendar, from, to, elapsed }) => {
    expect(businessTimeBetween(calendar, at(from), at(to))).toBe(elapsed);
  });
});

describe('checkBusinessCalendar', () => {
  const mondays = (count: number) =>
    Array.from({ length: count }, (_, week) => new Date(at('2026-01-05') + week * 7 * DAY).toISOString().slice(0, 10));
  const cases: Array<{ name: string; calendar: BusinessCalendar; path?: string; error: string | null }> = [
    { name: 'a weekday 09:00–17:00 calendar is valid', calendar: berlin, error: null },
    { name: 'UTC is a time zone', calendar: { ...berlin, timeZone: 'UTC' }, error: null },
    { name: 'closing at 24:00 means the following midnight', calendar: { ...berlin, closes: '24:00' }, error: null },
    {
      name: 'holidays closing a Monday-only calendar for half a year are accepted',
      calendar: { ...berlin, days: [1], holidays: mondays(26) },
      error: null,
    },
    {
      name: 'an unknown time zone names the field and the zone',
      calendar: { ...berlin, timeZone: 'Mars/Base' },
      error: '`sla.businessHours.timeZone` must be an IANA time zone like Europe/Berlin, got "Mars/Base"',
    },
    {
      name: 'the field path can be given by the caller',
      calendar: { ...berlin, timeZone: '' },
      path: 'handoff.sla.hours',
      error: '`handoff.sla.hours.timeZone` must be an IANA time zone like Europe/Berlin, got ""',
    },
    {
      name: 'an opening time needs two-digit hours',
      calendar: { ...berlin, opens: '9:00' },
      error: '`sla.businessHours.opens` must be a local time like 09:00, got "9:00"',
    },
    {
      name: 'only closing may be 24:00',
      calendar: { ...berlin, opens: '24:00' },
      error: '`sla.businessHours.opens` must be a local time like 09:00, got "24:00"',
    },
    {
      name: 'a closing time must exist',
      calendar: { ...berlin, closes: '17:60' },
      error: '`sla.businessHours.closes` must be a local time like 17:00 or 24:00, got "17:60"',
    },
    {
      name: 'closing before opening is refused rather than read as a night shift',
      calendar: { ...berlin, closes: '08:00' },
      error:
        '`sla.businessHours.closes` must be after `opens` (09:00), got 08:00; hours past midnight are not supported',
    },
    {
      name: 'closing at the opening time leaves no hours',
      calendar: { ...berlin, closes: '09:00' },
      error:
        '`sla.businessHours.closes` must be after `opens` (09:00), got 09:00; hours past midnight are not supported',
    },
    {
      name: 'no working days is refused',
      calendar: { ...berlin, days: [] },
      error: '`sla.businessHours.days` must list at least one working day, 1 = Monday … 7 = Sunday',
    },
    {
      name: 'weekday 0 is not ISO',
      calendar: { ...berlin, days: [0, 1] },
      error: '`sla.businessHours.days` must hold ISO weekdays from 1 = Monday to 7 = Sunday, got 0',
    },
    {
      name: 'weekdays are whole numbers',
      calendar: { ...berlin, days: [1.5] },
      error: '`sla.businessHours.days` must hold ISO weekdays from 1 = Monday to 7 = Sunday, got 1.5',
    },
    {
      name: 'a holiday must be a real date',
      calendar: { ...berlin, holidays: ['2026-02-30'] },
      error: '`sla.businessHours.holidays[0]` must be a date like 2026-12-25, got "2026-02-30"',
    },
    {
      name: 'a holiday error names its position',
      calendar: { ...berlin, holidays: ['2026-12-25', '25/12/2026'] },
      error: '`sla.businessHours.holidays[1]` must be a date like 2026-12-25, got "25/12/2026"',
    },
    {
      name: 'holidays closing the calendar for over a year are refused',
      calendar: { ...berlin, days: [1], holidays: mondays(60) },
      error:
        '`sla.businessHours.holidays` close every working day for more than 366 days from 2025-12-30; ' +
        'remove holidays or add working days',
    },
  ];
  it.each(cases)('$name', ({ calendar, path, error }) => {
    const checked = path === undefined ? checkBusinessCalendar(calendar) : checkBusinessCalendar(calendar, path);
    expect(checked).toEqual(error === null ? { ok: true, value: calendar } : { ok: false, error });
  });
});
