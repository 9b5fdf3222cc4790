import { describe, expect, it } from 'vitest';
import {
  allowedTransitions,
  applyTransition,
  type LifecycleState,
  type TransitionRequest,
} from '../../../src/core/lifecycle/apply-transition.ts';
import { STAGES, type Stage } from '../../../src/core/lifecycle/stages.ts';
import { DAY } from '../../helpers/time.ts';

const NOW = Date.UTC(2026, 2, 2, 12, 0, 0);
const NURTURE_END = NOW + 30 * DAY;
const RECYCLE_REASONS = ['not-ready', 'no-budget', 'bad-timing'];
const DISQUALIFY_REASONS = ['competitor', 'student', 'spam'];

const at = (stage: Stage, rest: Partial<LifecycleState> = {}): LifecycleState => ({
  stage,
  nurtureUntil: null,
  reMqlCount: 0,
  ...rest,
});

const request = {
  qualifyMql: { kind: 'qualify-mql', rule: 'good-fit-engaged' },
  handRaise: { kind: 'hand-raise', rule: 'demo-request' },
  accept: { kind: 'accept' },
  qualifySql: {
    kind: 'qualify-sql',
    bant: { budget: '40k', authority: 'VP Marketing', need: 'attribution', timeline: 'Q3' },
    required: ['budget', 'authority', 'need', 'timeline'],
  },
  createOpportunity: { kind: 'create-opportunity' },
  won: { kind: 'record-outcome', outcome: 'won' },
  lost: { kind: 'record-outcome', outcome: 'lost', reason: 'chose a competitor' },
  recycle: { kind: 'recycle', reason: 'not-ready', nurtureUntil: NURTURE_END, allowedReasons: RECYCLE_REASONS },
  disqualify: { kind: 'disqualify', reason: 'student', allowedReasons: DISQUALIFY_REASONS },
  reopen: { kind: 'reopen' },
} satisfies Record<string, TransitionRequest>;

describe('applyTransition: allowed moves', () => {
  const cases: Array<{
    name: string;
    state: LifecycleState;
    request: TransitionRequest;
    now?: number;
    expected: LifecycleState;
  }> = [
    {
      name: 'a lead meeting MQL criteria becomes an MQL',
      state: at('lead'),
      request: request.qualifyMql,
      expected: at('mql'),
    },
    {
      name: 'a lead raising a hand becomes an MQL',
      state: at('lead'),
      request: request.handRaise,
      expected: at('mql'),
    },
    {
      name: 'a recycled lead re-qualifies once nurture is over and counts a re-MQL',
      state: at('recycled', { nurtureUntil: NURTURE_END, reMqlCount: 1 }),
      request: request.qualifyMql,
      now: NURTURE_END + DAY,
      expected: at('mql', { reMqlCount: 2 }),
    },
    {
      name: 'a lost opportunity (no nurture date) re-qualifies at once',
      state: at('recycled'),
      request: request.qualifyMql,
      expected: at('mql', { reMqlCount: 1 }),
    },
    {
      name: 'a recycled hand-raiser skips the rest of nurture and counts a re-MQL',
      state: at('recycled', { nurtureUntil: NURTURE_END }),
      request: request.handRaise,
      expected: at('mql', { reMqlCount: 1 }),
    },
    {
      name: 'a rep accepts an MQL',
      state: at('mql', { reMqlCount: 3 }),
      request: request.accept,
      expected: at('sal', { reMqlCount: 3 }),
    },
    {
      name: 'an accepted lead with full BANT becomes an SQL',
      state: at('sal'),
      request: request.qualifySql,
      expected: at('sql'),
    },
    {
      name: 'an MQL may be qualified straight to SQL',
      state: at('mql'),
      request: request.qualifySql,
      expected: at('sql'),
    },
    {
      name: 'only the required BANT fields are needed',
      state: at('sal'),
      request: { kind: 'qualify-sql', bant: { need: 'reporting' }, required: ['need'] },
      expected: at('sql'),
    },
    {
      name: 'with no required BANT field a rep qualifies manually',
      state: at('sal'),
      request: { kind: 'qualify-sql', bant: {}, required: [] },
      expected: at('sql'),
    },
    {
      name: 'an SQL gets an opportunity',
      state: at('sql'),
      request: request.createOpportunity,
      expected: at('opportunity'),
    },
    {
      name: 'a won opportunity becomes a customer',
      state: at('opportunity'),
      request: request.won,
      expected: at('customer'),
    },
    {
      name: 'a lost opportunity goes back to nurture without a date',
      state: at('opportunity'),
      request: request.lost,
      expected: at('recycled'),
    },
    {
      name: 'an MQL is recycled until a date',
      state: at('mql'),
      request: request.recycle,
      expected: at('recycled', { nurtureUntil: NURTURE_END }),
    },
    {
      name: 'a SAL is recycled until a date',
      state: at('sal'),
      request: request.recycle,
      expected: at('recycled', { nurtureUntil: NURTURE_END }),
    },
    {
      name: 'an SQL is recycled until a date',
      state: at('sql', { reMqlCount: 2 }),
      request: request.recycle,
      expected: at('recycled', { nurtureUntil: NURTURE_END, reMqlCount: 2 }),
    },
    {
      name: 'a recycle date one millisecond ahead is accepted',
      state: at('mql'),
      request: { ...request.recycle, nurtureUntil: NOW + 1 },
      expected: at('recycled', { nurtureUntil: NOW + 1 }),
    },
    ...(['lead', 'mql', 'sal', 'sql', 'opportunity'] as const).map((stage) => ({
      name: `a contact in ${stage} can be disqualified`,
      state: at(stage),
      request: request.disqualify,
      expected: at('disqualified'),
    })),
    {
      name: 'a recycled contact can be disqualified, which drops its nurture date',
      state: at('recycled', { nurtureUntil: NURTURE_END }),
      request: request.disqualify,
      expected: at('disqualified'),
    },
    {
      name: 'a disqualified contact is reopened as a lead',
      state: at('disqualified', { reMqlCount: 1 }),
      request: request.reopen,
      expected: at('lead', { reMqlCount: 1 }),
    },
    ...(['lead', 'mql', 'sal', 'sql', 'opportunity', 'disqualified'] as const).map((stage) => ({
      name: `a deal won in the CRM makes a contact in ${stage} a customer (an import records facts)`,
      state: at(stage),
      request: { kind: 'import-outcome' as const, outcome: 'won' as const },
      expected: at('customer'),
    })),
    {
      name: 'a deal lost in the CRM sends a recycled contact back to nurture without a date',
      state: at('recycled', { nurtureUntil: NURTURE_END }),
      request: { kind: 'import-outcome', outcome: 'lost' },
      expected: at('recycled'),
    },
    {
      name: 'a deal lost in the CRM sends a lead to nurture without a date',
      state: at('lead'),
      request: { kind: 'import-outcome', outcome: 'lost' },
      expected: at('recycled'),
    },
    {
      name: 'a recycled contact is reopened as a lead, dropping its nurture date',
      state: at('recycled', { nurtureUntil: NURTURE_END }),
      request: request.reopen,
      expected: at('lead'),
    },
  ];

  it.each(cases)('$name', ({ state, request: move, now, expected }) => {
    expect(applyTransition(state, move, now ?? NOW)).toEqual({
      ok: true,
      value: { state: expected, from: state.stage, to: expected.stage },
    });
  });

  it('the table covers every move allowedTransitions offers', () => {
    const offered = STAGES.flatMap((stage) => allowedTransitions(stage).map((kind) => `${kind} from ${stage}`));
    const covered = new Set(cases.map((c) => `${c.request.kind} from ${c.state.stage}`));
    expect(offered.filter((move) => !covered.has(move))).toEqual([]);
  });
});

describe('applyTransition: nurture boundary', () => {
  const recycled = at('recycled', { nurtureUntil: NURTURE_END, reMqlCount: 1 });

  it('one millisecond before nurture ends, criteria cannot re-qualify the contact', () => {
    expect(applyTransition(recycled, request.qualifyMql, NURTURE_END - 1)).toEqual({
      ok: false,
      error: {
        kind: 'nurture-not-over',
        nurtureUntil: NURTURE_END,
        message:
          'cannot re-qualify this contact as an MQL before its nurture period ends at 2026-04-01T12:00:00.000Z; wait until then, or let a hand-raise bring it back sooner',
      },
    });
  });

  it('the very millisecond nurture ends, criteria re-qualify the contact', () => {
    const moved = applyTransition(recycled, request.qualifyMql, NURTURE_END);
    expect(moved.ok && moved.value.state).toEqual(at('mql', { reMqlCount: 2 }));
  });

  it('a recycle date equal to now is refused', () => {
    expect(applyTransition(at('sal'), { ...request.recycle, nurtureUntil: NOW }, NOW)).toEqual({
      ok: false,
      error: {
        kind: 'invalid-nurture-date',
        message: 'the nurture-until date must be after now (2026-03-02T12:00:00.000Z), got 2026-03-02T12:00:00.000Z',
      },
    });
  });

  it('a recycle date that is not a number is refused', () => {
    const moved = applyTransition(at('sal'), { ...request.recycle, nurtureUntil: Number.NaN }, NOW);
    expect(moved.ok ? null : moved.error.message).toBe(
      'the nurture-until date must be after now (2026-03-02T12:00:00.000Z), got an invalid date',
    );
  });
});

describe('applyTransition: re-MQL count', () => {
  it('counts each return from nurture, whatever brought it, and survives reopening', () => {
    const steps: Array<{ request: TransitionRequest; now: number; stage: Stage; reMqlCount: number }> = [
      { request: request.qualifyMql, now: NOW, stage: 'mql', reMqlCount: 0 },
      { request: request.recycle, now: NOW, stage: 'recycled', reMqlCount: 0 },
      { request: request.qualifyMql, now: NURTURE_END, stage: 'mql', reMqlCount: 1 },
      { request: request.accept, now: NURTURE_END, stage: 'sal', reMqlCount: 1 },
      {
        request: { ...request.recycle, nurtureUntil: NURTURE_END + 30 * DAY },
        now: NURTURE_END,
        stage: 'recycled',
        reMqlCount: 1,
      },
      { request: request.handRaise, now: NURTURE_END + DAY, stage: 'mql', reMqlCount: 2 },
      { request: request.disqualify, now: NURTURE_END + DAY, stage: 'disqualified', reMqlCount: 2 },
      { request: request.reopen, now: NURTURE_END + DAY, stage: 'lead', reMqlCount: 2 },
      { request: request.qualifyMql, now: NURTURE_END + DAY, stage: 'mql', reMqlCount: 2 },
    ];
    let state = at('lead');
    for (const step of steps) {
      const moved = applyTransition(state, step.request, step.now);
      if (!moved.ok) throw new Error(moved.error.message);
      state = moved.value.state;
      expect({ stage: state.stage, reMqlCount: state.reMqlCount }).toEqual({
        stage: step.stage,
        reMqlCount: step.reMqlCount,
      });
    }
  });
});
