import { describe, expect, it } from 'vitest';
import {
  applyEngagementEvents,
  type EngagementEvent,
  emptyEngagementState,
} from '../../../src/core/scoring/engagement-state.ts';
import { scoreEngagement } from '../../../src/core/scoring/score-engagement.ts';
import { testPlaybook } from '../../fixtures/test-playbook.ts';
import { DAY } from '../../helpers/time.ts';

const T0 = Date.UTC(2026, 2, 2); // a Monday, 00:00 UTC

let counter = 0;
function track(name: string, at: number): EngagementEvent {
  counter++;
  return { id: `e${counter}`, type: 'track', name, properties: {}, occurredAt: at };
}
function page(path: string, at: number): EngagementEvent {
  counter++;
  return { id: `e${counter}`, type: 'page', name: null, properties: { path }, occurredAt: at };
}
function ruleCenti(events: EngagementEvent[], now: number, rule: string): number | undefined {
  const state = applyEngagementEvents(testPlaybook, emptyEngagementState(), events, now);
  const line = scoreEngagement(testPlaybook, state, now).lines.find((l) => l.kind === 'rule' && l.rule === rule);
  return line?.centi;
}

describe('scoreEngagement', () => {
  const cases: Array<{
    name: string;
    events: EngagementEvent[];
    now: number;
    rule: string;
    centi: number | undefined;
  }> = [
    {
      name: 'a fresh demo request is worth its full points',
      events: [track('Demo Requested', T0)],
      now: T0,
      rule: 'demo',
      centi: 4000,
    },
    {
      name: 'after one half-life it is worth half',
      events: [track('Demo Requested', T0)],
      now: T0 + 14 * DAY,
      rule: 'demo',
      centi: 2000,
    },
    {
      name: 'after two half-lives a quarter',
      events: [track('Demo Requested', T0)],
      now: T0 + 28 * DAY,
      rule: 'demo',
      centi: 1000,
    },
    {
      name: 'two demo requests in one ISO week count once',
      events: [track('Demo Requested', T0), track('Demo Requested', T0 + 6 * DAY)],
      now: T0 + 6 * DAY,
      rule: 'demo',
      centi: 4000,
    },
    {
      name: 'the cap keeps the latest of the week (Sunday 23:59:59 and Monday 00:00:01 are different weeks)',
      events: [track('Demo Requested', T0 - 1000), track('Demo Requested', T0 + 1000)],
      now: T0 + 1000,
      rule: 'demo',
      centi: 8000,
    },
    {
      name: 'pricing capped at two per UTC day',
      events: [page('/pricing', T0 + 1), page('/pricing', T0 + 2), page('/pricing', T0 + 3)],
      now: T0 + 3,
      rule: 'pricing',
      centi: 1450,
    },
    {
      name: 'pricing falls out of its 20-day look-back at 20d + 1ms',
      events: [page('/pricing', T0)],
      now: T0 + 20 * DAY + 1,
      rule: 'pricing',
      centi: 0,
    },
    {
      name: 'pricing still counts at exactly 20 days',
      events: [page('/pricing', T0)],
      now: T0 + 20 * DAY,
      rule: 'pricing',
      centi: 269,
    },
    {
      name: 'once keeps one trial start',
      events: [track('Trial Started', T0), track('Trial Started', T0 + DAY)],
      now: T0 + DAY,
      rule: 'trial',
      centi: 3000,
    },
    {
      name: 'a window cap keeps the three latest pages',
      events: [page('/', T0), page('/', T0 + 1), page('/', T0 + 2), page('/', T0 + 3)],
      now: T0 + 3,
      rule: 'any-page',
      centi: 300,
    },
    {
      name: 'an event in the future does not count yet',
      events: [track('Email Opened', T0 + DAY)],
      now: T0,
      rule: 'email-open',
      centi: 0,
    },
  ];
  it.each(cases)('$name', ({ events, now, rule, centi }) => {
    expect(ruleCenti(events, now, rule)).toBe(centi);
  });

  it('caps a group and explains the cut', () => {
    const events = [track('Demo Requested', T0), track('Trial Started', T0), page('/pricing', T0)];
    const state = applyEngagementEvents(testPlaybook, emptyEngagementState(), events, T0);
    const result = scoreEngagement(testPlaybook, state, T0);
    expect(result.lines).toContainEqual({ kind: 'group-cap', group: 'intent', cap: 70, centi: -725 });
    expect(result.centi).toBe(7000 + 100);
    expect(result.temperature).toBe('hot');
  });

  it('floors a negative total at zero and says so', () => {
    const state = applyEngagementEvents(testPlaybook, emptyEngagementState(), [track('Unsubscribed', T0)], T0);
    const result = scoreEngagement(testPlaybook, state, T0);
    expect(result.centi).toBe(0);
    expect(result.lines.at(-1)).toEqual({ kind: 'floor', centi: 2000 });
    expect(result.temperature).toBe('cold');
  });
});
