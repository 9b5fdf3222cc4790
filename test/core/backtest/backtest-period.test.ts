import { describe, expect, it } from 'vitest';
import { monthsBefore, parseBacktestPeriod } from '../../../src/core/backtest/backtest-period.ts';

const NOW = Date.parse('2026-05-04T15:30:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('a backtest period', () => {
  it('runs by default over the three months before the start of today (UTC)', () => {
    const period = parseBacktestPeriod({}, NOW);
    expect(period.ok && [iso(period.value.from), iso(period.value.to)]).toEqual([
      '2026-02-04T00:00:00.000Z',
      '2026-05-04T00:00:00.000Z',
    ]);
  });

  it('is the same all day: a minute before and after midnight give different days', () => {
    const before = parseBacktestPeriod({}, Date.parse('2026-05-04T23:59:59Z'));
    const after = parseBacktestPeriod({}, Date.parse('2026-05-05T00:00:01Z'));
    expect(before.ok && iso(before.value.to)).toBe('2026-05-04T00:00:00.000Z');
    expect(after.ok && iso(after.value.to)).toBe('2026-05-05T00:00:00.000Z');
  });

  it('takes dates at midnight UTC and instants with their offset', () => {
    const period = parseBacktestPeriod({ from: '2026-01-01', to: '2026-03-31T09:30:00+02:00' }, NOW);
    expect(period.ok && [iso(period.value.from), iso(period.value.to)]).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-03-31T07:30:00.000Z',
    ]);
  });

  it.each([
    [{ from: '2026-03-01', to: '2026-03-01' }, 'empty-period'],
    [{ from: '2026-03-02', to: '2026-03-01' }, 'empty-period'],
    [{ from: '2026-13-01', to: '2026-03-01' }, 'invalid-date'],
    [{ from: '2026-03-01', to: 'next week' }, 'invalid-date'],
    [{ from: '2023-03-01', to: '2026-03-02' }, 'period-too-long'],
  ])('refuses %o: %s', (query, kind) => {
    const period = parseBacktestPeriod(query, NOW);
    expect(period.ok ? 'accepted' : period.error.kind).toBe(kind);
  });

  it('allows 1,096 days and no more', () => {
    const to = Date.UTC(2026, 2, 2);
    const at = (days: number) => iso(to - days * 86_400_000);
    expect(parseBacktestPeriod({ from: at(1096), to: iso(to) }, NOW).ok).toBe(true);
    expect(parseBacktestPeriod({ from: iso(to - 1096 * 86_400_000 - 1000), to: iso(to) }, NOW).ok).toBe(false);
  });

  it('counts months back to the same day, or the last day of a shorter month', () => {
    expect(iso(monthsBefore(Date.parse('2026-05-31T10:00:00Z'), 3))).toBe('2026-02-28T10:00:00.000Z');
    expect(iso(monthsBefore(Date.parse('2026-03-15T00:00:00Z'), 3))).toBe('2025-12-15T00:00:00.000Z');
  });
});
