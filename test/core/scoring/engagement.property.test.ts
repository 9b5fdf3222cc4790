import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyEngagementEvents,
  type EngagementEvent,
  emptyEngagementState,
} from '../../../src/core/scoring/engagement-state.ts';
import { scoreContact } from '../../../src/core/scoring/score-contact.ts';
import { testPlaybook } from '../../fixtures/test-playbook.ts';
import { DAY } from '../../helpers/time.ts';

const START = Date.UTC(2026, 0, 1);
const END = START + 120 * DAY;

const eventArbitrary: fc.Arbitrary<Omit<EngagementEvent, 'id'>> = fc.oneof(
  fc.record({
    type: fc.constant('track' as const),
    name: fc.constantFrom('Demo Requested', 'Trial Started', 'Email Opened', 'Unsubscribed', 'Other'),
    properties: fc.constant({}),
    occurredAt: fc.integer({ min: START, max: END }),
  }),
  fc.record({
    type: fc.constant('page' as const),
    name: fc.constant(null),
    properties: fc.record({ path: fc.constantFrom('/', '/pricing', '/blog/x', '/pricing/enterprise') }),
    occurredAt: fc.integer({ min: START, max: END }),
  }),
);

const historyArbitrary = fc
  .array(eventArbitrary, { maxLength: 60 })
  .map((events) => events.map((event, index) => ({ ...event, id: `m${index}` })));

const subject = { contact: { jobTitle: 'VP Sales' }, company: { employees: 400 } };
const total = (lines: Array<{ centi: number }>) => lines.reduce((sum, line) => sum + line.centi, 0);

describe('engagement scoring invariants', () => {
  it('folding events one at a time, in any arrival order, equals a full recomputation', () => {
    fc.assert(
      fc.property(historyArbitrary, fc.nat(), fc.integer({ min: 0, max: 30 * DAY }), (events, seed, extra) => {
        const now = END + extra;
        const full = applyEngagementEvents(testPlaybook, emptyEngagementState(), events, now);
        // Arrival order is a seeded shuffle; each arrival is applied at a non-decreasing "now".
        const shuffled = [...events].sort(
          (a, b) => ((a.occurredAt * 31 + seed) % 997) - ((b.occurredAt * 31 + seed) % 997),
        );
        let incremental = emptyEngagementState();
        shuffled.forEach((event, index) => {
          const arrival = Math.max(event.occurredAt, START + index * DAY);
          incremental = applyEngagementEvents(testPlaybook, incremental, [event], Math.min(arrival, now));
        });
        const expected = scoreContact(testPlaybook, subject, full, now);
        const actual = scoreContact(testPlaybook, subject, incremental, now);
        expect(actual.engagementCenti).toBe(expected.engagementCenti);
        expect(actual.engagementLines).toEqual(expected.engagementLines);
      }),
      { numRuns: 300 },
    );
  });

  it('the explanation lines always sum exactly to the scores shown', () => {
    fc.assert(
      fc.property(historyArbitrary, fc.integer({ min: 0, max: 200 * DAY }), (events, offset) => {
        const now = START + offset;
        const state = applyEngagementEvents(testPlaybook, emptyEngagementState(), events, now);
        const score = scoreContact(testPlaybook, subject, state, now);
        expect(total(score.engagementLines)).toBe(score.engagementCenti);
        expect(total(score.fitLines)).toBe(score.fitCenti);
        for (const line of score.engagementLines) {
          if (line.kind === 'rule') expect(total(line.events)).toBe(line.centi);
        }
        expect(score.engagementCenti).toBeGreaterThanOrEqual(0);
        expect(score.engagementCenti).toBeLessThanOrEqual(10_000);
      }),
      { numRuns: 300 },
    );
  });
});
