import { describe, expect, it } from 'vitest';
import type { Condition } from '../../../src/core/playbook/condition-schema.ts';
import { matchesCondition, matchesEvent, yearsAgo } from '../../../src/core/scoring/match-condition.ts';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const atLeast3: Condition = { op: 'age', field: 'company.foundedYear', minYears: 3 };
const between2And5: Condition = { op: 'age', field: 'company.foundedYear', minYears: 2, maxYears: 5 };

describe('the age condition measures from the time of scoring', () => {
  const cases: Array<{ name: string; condition: Condition; value: unknown; now?: number; matches: boolean }> = [
    {
      name: 'a company founded in 2020 is at least 3 years old in 2026',
      condition: atLeast3,
      value: 2020,
      matches: true,
    },
    { name: 'one founded in 2024 is not', condition: atLeast3, value: 2024, matches: false },
    { name: 'a year given as text counts the same', condition: atLeast3, value: '2021', matches: true },
    {
      name: 'a year counts from its 1 January: 2023 is not yet 3 years old on 31 December 2025',
      condition: atLeast3,
      value: 2023,
      now: Date.parse('2025-12-31T00:00:00Z'),
      matches: false,
    },
    {
      name: 'and is from 1 January 2026',
      condition: atLeast3,
      value: 2023,
      now: Date.parse('2026-01-01T12:00:00Z'),
      matches: true,
    },
    {
      name: 'the same company passes the bar a year later without a playbook change',
      condition: atLeast3,
      value: 2023,
      now: Date.parse('2027-01-02T00:00:00Z'),
      matches: true,
    },
    { name: 'a date is measured from its day', condition: between2And5, value: '2022-06-01', matches: true },
    { name: 'a date just inside the upper bound matches', condition: between2And5, value: '2021-12-04', matches: true },
    { name: 'a date past the upper bound does not', condition: between2And5, value: '2021-11-01', matches: false },
    { name: 'a date under the lower bound does not', condition: between2And5, value: '2025-01-01', matches: false },
    { name: 'a future year is not an age', condition: atLeast3, value: 2030, matches: false },
    { name: 'a missing value never matches', condition: atLeast3, value: undefined, matches: false },
    { name: 'text that is not a year or a date never matches', condition: atLeast3, value: 'long ago', matches: false },
    { name: 'a number that is not a year never matches', condition: atLeast3, value: 12, matches: false },
  ];
  for (const { name, condition, value, now, matches } of cases) {
    it(name, () => {
      const subject = { company: value === undefined ? {} : { foundedYear: value } };
      expect(matchesCondition(condition, subject, now ?? NOW)).toBe(matches);
    });
  }

  it('counts years as the calendar does, leap days included', () => {
    expect(yearsAgo('2016-12-03T12:00:00Z', NOW)).toBeCloseTo(10, 2);
    expect(yearsAgo(2026, NOW)).toBeGreaterThan(0.9);
  });

  it('measures an event condition from when the event happened', () => {
    const match = {
      type: 'track' as const,
      where: [{ op: 'age', field: 'properties.signedUp', maxYears: 1 } as Condition],
    };
    const event = (occurredAt: number) => ({
      type: 'track' as const,
      name: 'Renewed',
      properties: { signedUp: '2025-06-01' },
      occurredAt,
    });
    expect(matchesEvent(match, event(Date.parse('2026-01-01T00:00:00Z')))).toBe(true);
    expect(matchesEvent(match, event(Date.parse('2026-12-01T00:00:00Z')))).toBe(false);
  });
});
