import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../../../src/core/handoff/business-calendar.ts';
import { computeSlaDeadlines, type SlaPolicy } from '../../../src/core/handoff/sla-deadlines.ts';
import { HOUR } from '../../helpers/time.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

const berlin: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  days: [1, 2, 3, 4, 5],
  opens: '09:00',
  closes: '17:00',
  holidays: [],
};

describe('computeSlaDeadlines', () => {
  const cases: Array<{ name: string; policy: SlaPolicy; qualifiedAt: string; warnAt: string; dueAt: string }> = [
    {
      name: 'without business hours the window is plain elapsed time, weekend or not',
      policy: { responseTimeMs: 24 * HOUR, warnAtShare: 0.75, businessHours: null },
      qualifiedAt: '2026-01-17T10:00:00+01:00',
      warnAt: '2026-01-18T04:00:00+01:00',
      dueAt: '2026-01-18T10:00:00+01:00',
    },
    {
      name: 'without business hours the warning rounds down to the millisecond',
      policy: { responseTimeMs: 1001, warnAtShare: 0.5, businessHours: null },
      qualifiedAt: '2026-01-20T10:00:00.000Z',
      warnAt: '2026-01-20T10:00:00.500Z',
      dueAt: '2026-01-20T10:00:01.001Z',
    },
    {
      name: 'a Friday 16:00 lead with 8 business hours warns Monday 14:00 and is due Monday 16:00',
      policy: { responseTimeMs: 8 * HOUR, warnAtShare: 0.75, businessHours: berlin },
      qualifiedAt: '2026-01-16T16:00:00+01:00',
      warnAt: '2026-01-19T14:00:00+01:00',
      dueAt: '2026-01-19T16:00:00+01:00',
    },
    {
      name: 'a lead qualified on Saturday counts from Monday 09:00',
      policy: { responseTimeMs: 4 * HOUR, warnAtShare: 0.5, businessHours: berlin },
      qualifiedAt: '2026-01-17T10:00:00+01:00',
      warnAt: '2026-01-19T11:00:00+01:00',
      dueAt: '2026-01-19T13:00:00+01:00',
    },
    {
      name: 'a holiday on the Monday moves both instants to Tuesday',
      policy: { responseTimeMs: 8 * HOUR, warnAtShare: 0.75, businessHours: { ...berlin, holidays: ['2026-01-19'] } },
      qualifiedAt: '2026-01-16T16:00:00+01:00',
      warnAt: '2026-01-20T14:00:00+01:00',
      dueAt: '2026-01-20T16:00:00+01:00',
    },
    {
      name: 'a warning that runs out at closing time stays at closing time, across the spring change',
      policy: { responseTimeMs: 4 * HOUR, warnAtShare: 0.5, businessHours: berlin },
      qualifiedAt: '2026-03-27T15:00:00+01:00',
      warnAt: '2026-03-27T17:00:00+01:00',
      dueAt: '2026-03-30T11:00:00+02:00',
    },
    {
      name: 'New York across the March change: Friday 16:00 EST warns Monday 09:30 EDT',
      policy: {
        responseTimeMs: 2 * HOUR,
        warnAtShare: 0.75,
        businessHours: { ...berlin, timeZone: 'America/New_York' },
      },
      qualifiedAt: '2026-03-06T16:00:00-05:00',
      warnAt: '2026-03-09T09:30:00-04:00',
      dueAt: '2026-03-09T10:00:00-04:00',
    },
    {
      name: 'a zero window outside business hours is due at the next opening',
      policy: { responseTimeMs: 0, warnAtShare: 0.5, businessHours: berlin },
      qualifiedAt: '2026-01-20T17:00:00+01:00',
      warnAt: '2026-01-21T09:00:00+01:00',
      dueAt: '2026-01-21T09:00:00+01:00',
    },
  ];
  it.each(cases)('$name', ({ policy, qualifiedAt, warnAt, dueAt }) => {
    const deadlines = computeSlaDeadlines(policy, at(qualifiedAt));
    expect({ warnAt: iso(deadlines.warnAt), dueAt: iso(deadlines.dueAt) }).toEqual({
      warnAt: iso(at(warnAt)),
      dueAt: iso(at(dueAt)),
    });
  });

  const invalid: Array<{ name: string; policy: SlaPolicy }> = [
    { name: 'a warning share of 0 is refused', policy: { responseTimeMs: HOUR, warnAtShare: 0, businessHours: null } },
    { name: 'a warning share of 1 is refused', policy: { responseTimeMs: HOUR, warnAtShare: 1, businessHours: null } },
    {
      name: 'a missing warning share is refused',
      policy: { responseTimeMs: HOUR, warnAtShare: Number.NaN, businessHours: null },
    },
    {
      name: 'a negative response time is refused',
      policy: { responseTimeMs: -1, warnAtShare: 0.5, businessHours: berlin },
    },
  ];
  it.each(invalid)('$name, as a bug the playbook schema should have caught', ({ policy }) => {
    expect(() => computeSlaDeadlines(policy, at('2026-01-20T10:00:00Z'))).toThrow(RangeError);
  });
});
