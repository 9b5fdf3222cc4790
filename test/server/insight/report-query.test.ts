import { describe, expect, it } from 'vitest';
import { monthsBetween } from '../../../src/core/insight/build-funnel-report.ts';
import { formatCell, parseCell } from '../../../src/core/insight/cell-key.ts';
import { formatSeconds } from '../../../src/core/insight/format-report.ts';
import { parseReportDate, parseReportQuery, yearsBefore } from '../../../src/core/insight/report-query.ts';

// Pure pieces of the reports (src/core/insight), next to the server tests that use them.

describe('report periods', () => {
  it.each([
    ['2026-01-31', Date.UTC(2026, 0, 31)],
    ['2026-01-31T09:30:00Z', Date.UTC(2026, 0, 31, 9, 30)],
    ['2026-01-31T09:30:00.250+02:00', Date.UTC(2026, 0, 31, 7, 30, 0, 250)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['2026-02-29', null],
    ['2026-13-01', null],
    ['31/01/2026', null],
    ['2026-01-31T09:30', null],
    ['1899-12-31', null],
    ['', null],
  ])('reads %j as %j', (text, expected) => {
    expect(parseReportDate(text)).toBe(expected);
  });

  it('goes back a year from 29 February to 28 February', () => {
    expect(new Date(yearsBefore(Date.UTC(2028, 1, 29, 12), 1)).toISOString()).toBe('2027-02-28T12:00:00.000Z');
  });

  it('defaults to the twelve months up to now, and the split to the report’s own', () => {
    const now = Date.UTC(2026, 11, 4, 21, 0, 0);
    const parsed = parseReportQuery('revenue', {}, now);
    expect(parsed.ok && parsed.value.params).toEqual({
      from: Date.UTC(2025, 11, 4, 21),
      to: now,
      by: 'first-touch-source',
      now,
    });
  });

  it('names the months a period touches, across a new year', () => {
    expect(monthsBetween(Date.UTC(2025, 10, 15), Date.UTC(2026, 1, 1))).toEqual(['2025-11', '2025-12', '2026-01']);
    expect(monthsBetween(Date.UTC(2025, 10, 15), Date.UTC(2026, 1, 1, 0, 0, 1))).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
  });
});

describe('cell keys', () => {
  it('keep values with separators intact', () => {
    const cell = formatCell([
      ['month', '2026-03'],
      ['group', 'a;b=c%'],
      ['stage', null],
    ]);
    expect(cell).toBe('month=2026-03;group=a%3Bb%3Dc%25');
    expect(parseCell(cell, { allowed: ['month', 'group'] })).toEqual({
      ok: true,
      value: { month: '2026-03', group: 'a;b=c%' },
    });
    expect(parseCell('group=%E0%A4%A', { allowed: ['group'] }).ok).toBe(false);
  });
});

describe('durations for the terminal', () => {
  it.each([
    [null, '–'],
    [42, '42s'],
    [59.6, '1m'],
    [3600, '1h'],
    [66_600, '18h 30m'],
    [86_400 * 2.5, '2d 12h'],
    [86_400 * 19, '19d'],
  ])('shows %j seconds as %j', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});
