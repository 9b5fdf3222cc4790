import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ReplayedMql, replayFirstMql } from '../../../src/core/backtest/replay-first-mql.ts';
import { rescoreLead } from '../../../src/core/lifecycle/rescore-lead.ts';
import { type CompiledPlaybook, compilePlaybook } from '../../../src/core/playbook/compile-playbook.ts';
import { parsePlaybook } from '../../../src/core/playbook/parse-playbook.ts';
import {
  applyEngagementEvents,
  type EngagementEvent,
  emptyEngagementState,
} from '../../../src/core/scoring/engagement-state.ts';
import { DAY, HOUR } from '../../helpers/time.ts';

const DEFAULT = readFileSync(new URL('../../../playbooks/default.yaml', import.meta.url), 'utf8');
const CRITERIA = `mql:
  criteria:
    - id: good-fit-engaged
      label: Good fit and engaged
      when: fit >= 50 and engagement >= 50
    - id: strong-fit-warm
      label: Strong fit, warming up, looked at pricing
      when: grade == 'A' and engagement >= 35 and count('pricing-page', '30d') >= 2`;

function variant(name: string, criteria: string[], edit?: (source: string) => string) {
  const lines = criteria.map((when, index) => `    - id: c${index}\n      when: ${JSON.stringify(when)}`);
  const replaced = DEFAULT.replace(CRITERIA, `mql:\n  criteria:\n${lines.join('\n')}`);
  const source = edit ? edit(replaced) : replaced;
  if (replaced === DEFAULT || (edit && source === replaced)) throw new Error(`${name}: the edit changed nothing`);
  const parsed = parsePlaybook(source);
  if (!parsed.ok) throw new Error(`${name}: ${parsed.error[0]?.message}`);
  return { name, playbook: compilePlaybook(parsed.value, 1) };
}

/**
 * Playbooks that stress what the replay skips: fit that changes with time (`age` rules, on a
 * year and on a date), criteria that hold when engagement is low, under `not`, on counts, on
 * properties and predictions, negative points that decay upwards, and a fast lane with no fit bar.
 */
const VARIANTS = [
  variant('default criteria', [
    'fit >= 50 and engagement >= 50',
    "grade == 'A' and engagement >= 35 and count('pricing-page', '30d') >= 2",
  ]),
  variant('engagement only', ['engagement >= 30']),
  variant('low engagement, negated', ['not (engagement > 5) and fit >= 60', "temperature == 'warm' and fit < 40"]),
  variant('counts and properties', [
    "count('email-open', '7d') >= 2 and company.industry == 'software'",
    "score >= 45 and contact.jobTitle contains 'vp'",
    'predicted >= 0.5 and engagement >= 10',
  ]),
  variant('fit that ages', ['fit >= 68 and engagement >= 20', "grade in ['A', 'B'] and not (fit >= 85)"], (source) =>
    source
      .replace(
        'when: { op: age, field: company.foundedYear, minYears: 3 }\n          points: 5',
        'when: { op: age, field: company.foundedYear, minYears: 3 }\n          points: 10',
      )
      .replace(
        '        - id: revenue\n          label: Annual revenue over 10M\n          when: { op: range, field: company.annualRevenue, min: 10000000 }\n          points: 5',
        '        - id: young\n          label: Founded in the last 3.1 years\n          when: { op: age, field: company.foundedYear, maxYears: 3.1 }\n          points: 7',
      ),
  ),
  variant('combined score, weighted to engagement', ["score >= 40 and grade != 'D'"], (source) =>
    source.replace(
      'combined: { fitWeight: 0.5, engagementWeight: 0.5 }',
      'combined: { fitWeight: 0.3, engagementWeight: 0.7 }',
    ),
  ),
  variant('fast lane for anyone, negative points', ['engagement >= 25 and fit >= 30'], (source) =>
    source
      .replace('minFit: 30', 'minFit: 0')
      .replace('points: -20\n          once: true', 'points: -40\n          once: true'),
  ),
];

/** Every instant rescored by `rescoreLead`, as live scoring would: the reference the replay must equal. */
function replayEveryInstant(
  playbook: CompiledPlaybook,
  subject: Parameters<typeof replayFirstMql>[1],
  period: { from: number; to: number },
): ReplayedMql | null {
  const before = subject.events.filter((event) => event.occurredAt < period.from);
  let state = applyEngagementEvents(playbook.document, emptyEngagementState(), before, period.from);
  const instants = [...new Set(subject.events.map((event) => event.occurredAt))]
    .filter((at) => at >= period.from && at < period.to)
    .sort((a, b) => a - b);
  for (const at of instants) {
    const fresh = subject.events
      .filter((event) => event.occurredAt === at)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const lead = { stage: 'lead', nurtureUntil: null, reMqlCount: 0, predicted: subject.predicted };
    const rescored = rescoreLead(
      playbook,
      { ...lead, contact: subject.contact, company: subject.company, engagement: { fold: state, fresh } },
      at,
    );
    if (rescored.move) return { at: rescored.move.at, kind: rescored.move.kind, rule: rescored.move.rule };
    state = rescored.state;
  }
  return null;
}

const START = Date.UTC(2025, 10, 1);
const PERIOD = { from: Date.UTC(2025, 11, 15), to: Date.UTC(2026, 1, 15) };

const eventArbitrary: fc.Arbitrary<Omit<EngagementEvent, 'id'>> = fc.oneof(
  fc.record({
    type: fc.constant('track' as const),
    name: fc.constantFrom(
      'Demo Requested',
      'Contact Sales Requested',
      'Pricing Requested',
      'Trial Started',
      'Webinar Attended',
      'Ebook Downloaded',
      'Email Opened',
      'Email Clicked',
      'Unsubscribed',
      'Pricing Viewed',
    ),
    properties: fc.constant({}),
    // Whole hours: several events often share an instant.
    occurredAt: fc.integer({ min: 0, max: 110 * 24 }).map((hours) => START + hours * HOUR),
  }),
  fc.record({
    type: fc.constant('page' as const),
    name: fc.constant(null),
    properties: fc.record({ path: fc.constantFrom('/', '/pricing', '/blog/x', '/product/tour', '/careers') }),
    occurredAt: fc.integer({ min: 0, max: 110 * 24 }).map((hours) => START + hours * HOUR),
  }),
);

const subjectArbitrary = fc.record({
  contact: fc.record({
    jobTitle: fc.constantFrom('VP Marketing', 'Marketing Manager', 'Engineer', 'Intern', 'Director of Sales'),
    email: fc.constantFrom('a@acme.example', 'b@gmail.com'),
  }),
  company: fc.option(
    fc.record({
      employees: fc.constantFrom(15, 120, 800, 9000),
      industry: fc.constantFrom('software', 'retail', 'government'),
      // Three years old on a day inside the period, as a year or as a date; or young, or old.
      foundedYear: fc.constantFrom(2023, '2023-01-20', '2022-12-28T10:00:00Z', 2010, 2025),
    }),
    { nil: null },
  ),
  predicted: fc.constantFrom(null, 0.2, 0.7),
});

const historyArbitrary = fc
  .array(eventArbitrary, { maxLength: 40 })
  .map((events) =>
    events
      .map((event, index) => ({ ...event, id: `m${(index * 7919) % 101}-${index}` }))
      .sort((a, b) => a.occurredAt - b.occurredAt),
  );

describe('the replay', () => {
  it.each(VARIANTS)('finds the first MQL a rescore at every instant finds ($name)', ({ playbook }) => {
    fc.assert(
      fc.property(subjectArbitrary, historyArbitrary, (subject, events) => {
        const lead = { ...subject, events };
        expect(replayFirstMql(playbook, lead, PERIOD)).toEqual(replayEveryInstant(playbook, lead, PERIOD));
      }),
      { numRuns: 250 },
    );
  });

  it('qualifies leads in these histories under every variant (the comparison is not vacuous)', () => {
    const found = new Map<string, Set<string>>();
    fc.assert(
      fc.property(subjectArbitrary, historyArbitrary, (subject, events) => {
        for (const { name, playbook } of VARIANTS) {
          const mql = replayFirstMql(playbook, { ...subject, events }, PERIOD);
          if (mql) found.set(name, (found.get(name) ?? new Set()).add(mql.kind));
        }
      }),
      { numRuns: 250, seed: 42 },
    );
    expect([...found.keys()].sort()).toEqual(VARIANTS.map((each) => each.name).sort());
    expect(found.get('default criteria')).toEqual(new Set(['qualify-mql', 'hand-raise']));
  });
});

describe('the replay period', () => {
  it('counts no event after `to` and starts every lead as a lead at `from`', () => {
    const { playbook } = VARIANTS[1]!;
    const period = { from: PERIOD.from, to: PERIOD.from + 2 * DAY };
    const track = (id: string, name: string, occurredAt: number) =>
      ({ id, type: 'track', name, properties: {}, occurredAt }) as const;
    const events: EngagementEvent[] = [
      track('a', 'Trial Started', period.from - DAY),
      track('b', 'Webinar Attended', period.from - DAY),
      track('c', 'Email Opened', period.to),
    ];
    const subject = { contact: { jobTitle: 'Engineer' }, company: null, predicted: null, events };
    // Over the bar (30) since the day before `from`, but no event inside the period: no rescore.
    expect(replayFirstMql(playbook, subject, period)).toBeNull();
    // One more millisecond, and the open at `to` is a rescore that finds it (≈ 39) over the bar.
    expect(replayFirstMql(playbook, subject, { ...period, to: period.to + 1 })).toEqual({
      at: period.to,
      kind: 'qualify-mql',
      rule: 'c0',
    });
  });
});
