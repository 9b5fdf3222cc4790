import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type LeadToRescore, rescoreLead } from '../../../src/core/lifecycle/rescore-lead.ts';
import { compilePlaybook } from '../../../src/core/playbook/compile-playbook.ts';
import { parsePlaybook } from '../../../src/core/playbook/parse-playbook.ts';
import { type EngagementEvent, emptyEngagementState } from '../../../src/core/scoring/engagement-state.ts';
import { DAY, HOUR } from '../../helpers/time.ts';

const parsed = parsePlaybook(readFileSync(new URL('../../../playbooks/default.yaml', import.meta.url), 'utf8'));
if (!parsed.ok) throw new Error('the default playbook must parse');
const playbook = compilePlaybook(parsed.value, 1);
const NOW = Date.UTC(2026, 4, 4, 12);

let sequence = 0;
function track(name: string, at = NOW - HOUR): EngagementEvent {
  return { id: `e-${++sequence}`, type: 'track', name, properties: {}, occurredAt: at };
}

/** A VP at a mid-size software company: fit well over the bar of 50 in the default playbook. */
const vp = { jobTitle: 'VP Marketing', email: 'vp@acme.io', phone: '+1 555' };
const acme = { employees: 800, industry: 'Software', domain: 'acme.io' };
const student = { jobTitle: 'Marketing student', email: 'kid@gmail.com' };

/** Engagement of 56: a trial, a webinar, two email clicks and a pricing view. */
const engaged = (at = NOW - HOUR) => [
  track('Trial Started', at - 4 * HOUR),
  track('Webinar Attended', at - 3 * HOUR),
  track('Email Clicked', at - 2 * HOUR),
  track('Email Clicked', at - HOUR),
  track('Pricing Viewed', at),
];

function lead(overrides: Partial<LeadToRescore>): LeadToRescore {
  return {
    stage: 'lead',
    nurtureUntil: null,
    reMqlCount: 0,
    predicted: null,
    contact: vp,
    company: acme,
    engagement: { fold: emptyEngagementState(), fresh: [] },
    ...overrides,
  };
}

describe('a rescore', () => {
  const cases: Array<{
    name: string;
    lead: LeadToRescore;
    move: { from: string; to: string; kind: string; rule: string; at?: number } | null;
  }> = [
    {
      name: 'that crosses the MQL bar moves a good-fit lead to MQL by the criterion, timed at the newest event',
      lead: lead({ engagement: { fold: emptyEngagementState(), fresh: engaged(NOW - 2 * HOUR) } }),
      move: { from: 'lead', to: 'mql', kind: 'qualify-mql', rule: 'good-fit-engaged', at: NOW - 2 * HOUR },
    },
    {
      name: 'that stays under the bar changes the scores only',
      lead: lead({ engagement: { fold: emptyEngagementState(), fresh: [track('Webinar Attended')] } }),
      move: null,
    },
    {
      name: 'with a demo request from a good fit takes the fast lane, timed at the request',
      lead: lead({ engagement: { fold: emptyEngagementState(), fresh: [track('Demo Requested', NOW - 3 * HOUR)] } }),
      move: { from: 'lead', to: 'mql', kind: 'hand-raise', rule: 'demo-request', at: NOW - 3 * HOUR },
    },
    {
      name: 'with a demo request that arrives 29 days after it happened still takes the fast lane',
      lead: lead({ engagement: { fold: emptyEngagementState(), fresh: [track('Demo Requested', NOW - 29 * DAY)] } }),
      move: { from: 'lead', to: 'mql', kind: 'hand-raise', rule: 'demo-request', at: NOW - 29 * DAY },
    },
    {
      // An imported CRM history: the request is past the default `handRaisers.within` of 30 days.
      name: 'with a demo request that arrives 31 days after it happened raises no hand',
      lead: lead({ engagement: { fold: emptyEngagementState(), fresh: [track('Demo Requested', NOW - 31 * DAY)] } }),
      move: null,
    },
    {
      name: 'with a demo request from a poor fit leaves the lead where it is',
      lead: lead({
        contact: student,
        company: null,
        engagement: { fold: emptyEngagementState(), fresh: [track('Demo Requested')] },
      }),
      move: null,
    },
    {
      name: 'after a publish recomputes from history, where an old demo request raises no hand',
      lead: lead({ engagement: { recompute: [track('Demo Requested', NOW - 2 * DAY)] } }),
      move: null,
    },
    {
      name: 'after a publish qualifies by criteria from history alone, timed now',
      lead: lead({ engagement: { recompute: engaged() } }),
      move: { from: 'lead', to: 'mql', kind: 'qualify-mql', rule: 'good-fit-engaged', at: NOW },
    },
    {
      name: 'never moves an MQL again',
      lead: lead({ stage: 'mql', engagement: { fold: emptyEngagementState(), fresh: engaged() } }),
      move: null,
    },
    {
      name: 'leaves a recycled lead in nurture, however engaged',
      lead: lead({
        stage: 'recycled',
        nurtureUntil: NOW + 10 * DAY,
        engagement: { fold: emptyEngagementState(), fresh: engaged() },
      }),
      move: null,
    },
    {
      name: 'lets a hand-raiser cut nurture short, counting the re-MQL',
      lead: lead({
        stage: 'recycled',
        nurtureUntil: NOW + 10 * DAY,
        reMqlCount: 1,
        engagement: { fold: emptyEngagementState(), fresh: [track('Contact Sales Requested')] },
      }),
      move: { from: 'recycled', to: 'mql', kind: 'hand-raise', rule: 'contact-sales' },
    },
  ];

  it.each(cases)('$name', ({ lead: input, move }) => {
    const result = rescoreLead(playbook, input, NOW);
    if (move === null) {
      expect(result.move).toBeNull();
      expect(result.lifecycle.stage).toBe(input.stage);
    } else {
      expect(result.move).toMatchObject(move);
      expect(result.lifecycle.stage).toBe(move.to);
    }
  });

  it('takes old hand-raises within the playbook’s own `handRaisers.within`', () => {
    const patient = parsePlaybook(
      readFileSync(new URL('../../../playbooks/default.yaml', import.meta.url), 'utf8').replace(
        'handRaisers:\n  minFit: 30\n',
        'handRaisers:\n  minFit: 30\n  within: 90d\n',
      ),
    );
    if (!patient.ok) throw new Error(patient.error[0]?.message);
    const old = lead({
      engagement: { fold: emptyEngagementState(), fresh: [track('Demo Requested', NOW - 60 * DAY)] },
    });
    expect(rescoreLead(playbook, old, NOW).move).toBeNull();
    expect(rescoreLead(compilePlaybook(patient.value, 2), old, NOW).move).toMatchObject({
      kind: 'hand-raise',
      at: NOW - 60 * DAY,
    });
  });

  it('counts a re-MQL when a recycled lead comes back', () => {
    const result = rescoreLead(
      playbook,
      lead({
        stage: 'recycled',
        nurtureUntil: NOW + DAY,
        reMqlCount: 1,
        engagement: { fold: emptyEngagementState(), fresh: [track('Demo Requested')] },
      }),
      NOW,
    );
    expect(result.lifecycle.reMqlCount).toBe(2);
    expect(result.lifecycle.nurtureUntil).toBeNull();
  });

  it('folds new events into the saved state exactly as a recompute over all of them', () => {
    const first = engaged(NOW - DAY);
    const later = [track('Webinar Registered'), track('Email Opened')];
    const folded = rescoreLead(
      playbook,
      lead({
        engagement: {
          fold: rescoreLead(playbook, lead({ engagement: { recompute: first } }), NOW).state,
          fresh: later,
        },
      }),
      NOW,
    );
    const recomputed = rescoreLead(playbook, lead({ engagement: { recompute: [...first, ...later] } }), NOW);
    expect(folded.score).toEqual(recomputed.score);
  });
});
