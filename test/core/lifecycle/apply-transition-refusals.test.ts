import { describe, expect, it } from 'vitest';
import {
  allowedTransitions,
  applyTransition,
  type LifecycleState,
  type TransitionError,
  type TransitionRequest,
  targetStage,
} from '../../../src/core/lifecycle/apply-transition.ts';
import { STAGES, type Stage } from '../../../src/core/lifecycle/stages.ts';
import { DAY } from '../../helpers/time.ts';

const NOW = Date.UTC(2026, 2, 2, 12, 0, 0);
const RECYCLE_REASONS = ['not-ready', 'no-budget', 'bad-timing'];
const DISQUALIFY_REASONS = ['competitor', 'student', 'spam'];

const at = (stage: Stage): LifecycleState => ({ stage, nurtureUntil: null, reMqlCount: 0 });

const request = {
  qualifyMql: { kind: 'qualify-mql', rule: 'good-fit-engaged' },
  handRaise: { kind: 'hand-raise', rule: 'demo-request' },
  accept: { kind: 'accept' },
  qualifySql: { kind: 'qualify-sql', bant: { budget: '40k' }, required: ['budget'] },
  createOpportunity: { kind: 'create-opportunity' },
  won: { kind: 'record-outcome', outcome: 'won' },
  lost: { kind: 'record-outcome', outcome: 'lost', reason: 'chose a competitor' },
  recycle: { kind: 'recycle', reason: 'not-ready', nurtureUntil: NOW + 30 * DAY, allowedReasons: RECYCLE_REASONS },
  disqualify: { kind: 'disqualify', reason: 'spam', allowedReasons: DISQUALIFY_REASONS },
  reopen: { kind: 'reopen' },
} satisfies Record<string, TransitionRequest>;
const EVERY_REQUEST: readonly TransitionRequest[] = Object.values(request);
const { qualifyMql, handRaise, accept, qualifySql, createOpportunity, won, lost, recycle, disqualify, reopen } =
  request;

const describeRequest = (r: TransitionRequest) => (r.kind === 'record-outcome' ? `a ${r.outcome} outcome` : r.kind);

const illegal = (from: Stage, to: Stage, why: string): TransitionError => ({
  kind: 'illegal-transition',
  from,
  to,
  message: `cannot move a contact from \`${from}\` to \`${to}\`: ${why}`,
});

describe('applyTransition: illegal moves say what to do instead', () => {
  const cases: Array<{ name: string; from: Stage; request: TransitionRequest; error: TransitionError }> = [
    {
      name: 'a lead cannot become a customer',
      from: 'lead',
      request: won,
      error: illegal('lead', 'customer', 'record an opportunity and a won outcome first'),
    },
    {
      name: 'a lead cannot be accepted before it is an MQL',
      from: 'lead',
      request: accept,
      error: illegal('lead', 'sal', 'it must be in `mql` first'),
    },
    {
      name: 'a lead cannot be qualified as SQL',
      from: 'lead',
      request: qualifySql,
      error: illegal('lead', 'sql', 'it must be in `mql` or `sal` first'),
    },
    {
      name: 'an MQL cannot get an opportunity',
      from: 'mql',
      request: createOpportunity,
      error: illegal('mql', 'opportunity', 'it must be in `sql` first'),
    },
    {
      name: 'an MQL cannot qualify as MQL again',
      from: 'mql',
      request: qualifyMql,
      error: illegal('mql', 'mql', 'it is already in `mql`'),
    },
    {
      name: 'a SAL cannot be accepted twice',
      from: 'sal',
      request: accept,
      error: illegal('sal', 'sal', 'it is already in `sal`'),
    },
    {
      name: 'a SAL cannot fall back to MQL by criteria',
      from: 'sal',
      request: qualifyMql,
      error: illegal(
        'sal',
        'mql',
        'moving back is only possible by recycling it, with a reason and a nurture-until date',
      ),
    },
    {
      name: 'an SQL cannot fall back to SAL',
      from: 'sql',
      request: accept,
      error: illegal(
        'sql',
        'sal',
        'moving back is only possible by recycling it, with a reason and a nurture-until date',
      ),
    },
    {
      name: 'an opportunity cannot fall back to MQL by a hand-raise',
      from: 'opportunity',
      request: handRaise,
      error: illegal('opportunity', 'mql', 'an open opportunity goes back to nurture only by recording a lost outcome'),
    },
    {
      name: 'an opportunity is not recycled but lost',
      from: 'opportunity',
      request: recycle,
      error: illegal('opportunity', 'recycled', 'record a lost outcome instead'),
    },
    {
      name: 'a lead is already in nurture and cannot be recycled',
      from: 'lead',
      request: recycle,
      error: illegal('lead', 'recycled', 'only a contact in `mql`, `sal` or `sql` can be recycled'),
    },
    {
      name: 'an SQL without an opportunity cannot be lost',
      from: 'sql',
      request: lost,
      error: illegal('sql', 'recycled', 'only an `opportunity` can be lost; recycle it instead'),
    },
    {
      name: 'a recycled contact cannot be accepted without re-qualifying',
      from: 'recycled',
      request: accept,
      error: illegal('recycled', 'sal', 'it must re-qualify as an MQL first'),
    },
    {
      name: 'an MQL cannot be reopened',
      from: 'mql',
      request: reopen,
      error: illegal('mql', 'lead', 'only a contact in `disqualified` or `recycled` can be reopened'),
    },
    {
      name: 'a disqualified contact cannot be disqualified again',
      from: 'disqualified',
      request: disqualify,
      error: illegal('disqualified', 'disqualified', 'it is already in `disqualified`'),
    },
    {
      name: 'a customer cannot be disqualified',
      from: 'customer',
      request: disqualify,
      error: illegal('customer', 'disqualified', '`customer` is the final stage'),
    },
  ];
  it.each(cases)('$name', ({ from, request, error }) => {
    expect(applyTransition(at(from), request, NOW)).toEqual({ ok: false, error });
  });

  const onDisqualified = EVERY_REQUEST.filter((r) => r.kind !== 'reopen' && r.kind !== 'disqualify');
  it.each(onDisqualified.map((r) => ({ kind: describeRequest(r), request: r })))(
    'a disqualified contact refuses $kind until reopened',
    ({ request }) => {
      expect(applyTransition(at('disqualified'), request, NOW)).toEqual({
        ok: false,
        error: illegal('disqualified', targetStage(request), 'reopen it first'),
      });
    },
  );

  it.each(EVERY_REQUEST.map((r) => ({ kind: describeRequest(r), request: r })))(
    'a customer refuses $kind',
    ({ request }) => {
      expect(applyTransition(at('customer'), request, NOW)).toEqual({
        ok: false,
        error: illegal('customer', targetStage(request), '`customer` is the final stage'),
      });
    },
  );

  it('every move allowedTransitions does not offer is refused as illegal, and every one it offers passes the stage check', () => {
    for (const stage of STAGES) {
      for (const request of EVERY_REQUEST) {
        const result = applyTransition(at(stage), request, NOW);
        const offered = allowedTransitions(stage).includes(request.kind);
        expect(!result.ok && result.error.kind === 'illegal-transition').toBe(!offered);
      }
    }
  });

  it('allowedTransitions lists what a UI may offer for each stage', () => {
    expect(Object.fromEntries(STAGES.map((stage) => [stage, allowedTransitions(stage)]))).toEqual({
      lead: ['qualify-mql', 'hand-raise', 'disqualify'],
      mql: ['accept', 'qualify-sql', 'recycle', 'disqualify'],
      sal: ['qualify-sql', 'recycle', 'disqualify'],
      sql: ['create-opportunity', 'recycle', 'disqualify'],
      opportunity: ['record-outcome', 'disqualify'],
      customer: [],
      recycled: ['qualify-mql', 'hand-raise', 'disqualify', 'reopen'],
      disqualified: ['reopen'],
    });
  });
});

describe('applyTransition: refused details', () => {
  it('lists the BANT fields still missing, in BANT order, treating blanks as missing', () => {
    const request: TransitionRequest = {
      kind: 'qualify-sql',
      bant: { authority: 'CMO', need: 'attribution', budget: '  ' },
      required: ['timeline', 'budget', 'authority'],
    };
    expect(applyTransition(at('sal'), request, NOW)).toEqual({
      ok: false,
      error: {
        kind: 'missing-qualification',
        missing: ['budget', 'timeline'],
        message: 'cannot qualify this contact as an SQL: record its budget and timeline first',
      },
    });
  });

  const reasonCases: Array<{ name: string; from: Stage; request: TransitionRequest; error: TransitionError }> = [
    {
      name: 'a recycle reason outside the playbook list is refused with the list',
      from: 'mql',
      request: { kind: 'recycle', reason: 'busy', nurtureUntil: NOW + DAY, allowedReasons: RECYCLE_REASONS },
      error: {
        kind: 'invalid-reason',
        reason: 'busy',
        allowed: RECYCLE_REASONS,
        message: '`busy` is not a recycle reason; use one of `not-ready`, `no-budget` or `bad-timing`',
      },
    },
    {
      name: 'a disqualify reason outside the playbook list is refused with the list',
      from: 'lead',
      request: { kind: 'disqualify', reason: 'Spam', allowedReasons: DISQUALIFY_REASONS },
      error: {
        kind: 'invalid-reason',
        reason: 'Spam',
        allowed: DISQUALIFY_REASONS,
        message: '`Spam` is not a disqualify reason; use one of `competitor`, `student` or `spam`',
      },
    },
    {
      name: 'a playbook without disqualify reasons says so',
      from: 'lead',
      request: { kind: 'disqualify', reason: 'spam', allowedReasons: [] },
      error: {
        kind: 'invalid-reason',
        reason: 'spam',
        allowed: [],
        message: 'no disqualify reasons are configured in the playbook; add one before using `spam`',
      },
    },
    {
      name: 'a lost outcome needs a reason',
      from: 'opportunity',
      request: { kind: 'record-outcome', outcome: 'lost', reason: ' ' },
      error: {
        kind: 'invalid-reason',
        reason: ' ',
        allowed: [],
        message: 'a lost outcome needs a reason, e.g. `chose a competitor`',
      },
    },
  ];
  it.each(reasonCases)('$name', ({ from, request, error }) => {
    expect(applyTransition(at(from), request, NOW)).toEqual({ ok: false, error });
  });

  it('an illegal stage is reported before an invalid payload', () => {
    const request: TransitionRequest = {
      kind: 'recycle',
      reason: 'busy',
      nurtureUntil: 0,
      allowedReasons: RECYCLE_REASONS,
    };
    const moved = applyTransition(at('disqualified'), request, NOW);
    expect(moved.ok ? null : moved.error.kind).toBe('illegal-transition');
  });
});
