import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedTransitions,
  applyTransition,
  BANT_FIELDS,
  type LifecycleState,
  type TransitionRequest,
} from '../../../src/core/lifecycle/apply-transition.ts';
import { STAGES } from '../../../src/core/lifecycle/stages.ts';
import { DAY } from '../../helpers/time.ts';

const START = Date.UTC(2026, 0, 1);
const REASONS = ['not-ready', 'no-budget', 'spam', 'student'];

const reason = fc.constantFrom(...REASONS, 'unlisted', '');
const allowedReasons = fc.subarray(REASONS);
const bantField = fc.constantFrom(...BANT_FIELDS);

const requestArbitrary: fc.Arbitrary<TransitionRequest> = fc.oneof(
  fc.constantFrom('qualify-mql' as const, 'hand-raise' as const).map((kind) => ({ kind, rule: 'rule' })),
  fc.constantFrom({ kind: 'accept' as const }, { kind: 'create-opportunity' as const }, { kind: 'reopen' as const }),
  fc.record({
    kind: fc.constant('qualify-sql' as const),
    bant: fc.dictionary(bantField, fc.constantFrom('', ' ', 'yes')),
    required: fc.subarray([...BANT_FIELDS]),
  }),
  fc.constant({ kind: 'record-outcome' as const, outcome: 'won' as const }),
  fc.record({ kind: fc.constant('record-outcome' as const), outcome: fc.constant('lost' as const), reason }),
  fc.record({
    kind: fc.constant('recycle' as const),
    reason,
    nurtureUntil: fc.integer({ min: -DAY, max: 20 * DAY }),
    allowedReasons,
  }),
  fc.record({ kind: fc.constant('disqualify' as const), reason, allowedReasons }),
);

/** Each step moves the clock forward by `advance` ms; a recycle's nurture date is relative to that moment. */
const stepsArbitrary = fc.array(
  fc.record({ request: requestArbitrary, advance: fc.integer({ min: 0, max: 10 * DAY }) }),
  {
    maxLength: 40,
  },
);

describe('lifecycle invariants', () => {
  it('random request sequences keep a valid state, and a refused request changes nothing', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STAGES), stepsArbitrary, (initial, steps) => {
        let state: LifecycleState = { stage: initial, nurtureUntil: null, reMqlCount: 0 };
        let now = START;
        for (const step of steps) {
          now += step.advance;
          const request =
            step.request.kind === 'recycle'
              ? { ...step.request, nurtureUntil: now + step.request.nurtureUntil }
              : step.request;
          const before = structuredClone(state);
          const result = applyTransition(Object.freeze(state), request, now);
          expect(state).toEqual(before);
          if (!result.ok) {
            expect(result.error.message).not.toBe('');
            continue;
          }
          const next = result.value.state;
          expect(STAGES).toContain(next.stage);
          expect(result.value.from).toBe(state.stage);
          expect(result.value.to).toBe(next.stage);
          expect(allowedTransitions(state.stage)).toContain(request.kind);
          expect(next.nurtureUntil === null || (next.stage === 'recycled' && next.nurtureUntil > now)).toBe(true);
          const requalified = state.stage === 'recycled' && next.stage === 'mql';
          expect(next.reMqlCount).toBe(state.reMqlCount + (requalified ? 1 : 0));
          state = next;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a disqualified contact stays disqualified until it is reopened', () => {
    fc.assert(
      fc.property(fc.array(requestArbitrary, { maxLength: 20 }), (requests) => {
        const state: LifecycleState = { stage: 'disqualified', nurtureUntil: null, reMqlCount: 2 };
        for (const request of requests) {
          const result = applyTransition(state, request, START);
          expect(result.ok).toBe(request.kind === 'reopen');
        }
      }),
    );
  });
});
