import { Value } from '@sinclair/typebox/value';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyRotation, RotationState } from '../../../src/core/handoff/pick-rep.ts';
import {
  nextRepAfter,
  type RotationStates,
  type RoutableLead,
  routeLead,
} from '../../../src/core/handoff/route-lead.ts';
import { type Routing, RoutingSchema, type Team } from '../../../src/core/playbook/routing-schema.ts';

const routing: Routing = {
  companyOwnerFirst: true,
  teams: [
    {
      id: 'emea',
      label: 'EMEA sales',
      manager: 'dana@example.com',
      strategy: 'round-robin',
      reps: [{ id: 'alice@example.com' }, { id: 'bob@example.com' }],
    },
    {
      id: 'enterprise',
      strategy: 'weighted',
      reps: [{ id: 'erin@example.com', weight: 2 }, { id: 'eve@example.com' }],
    },
    { id: 'fintech', label: 'Fintech', reps: [{ id: 'fred@example.com' }] },
    { id: 'americas', label: 'Americas', reps: [{ id: 'amy@example.com' }] },
  ],
  rules: [
    { id: 'enterprise', when: { op: 'range', field: 'company.employees', min: 1000 }, team: 'enterprise' },
    { id: 'fintech', when: { op: 'in', field: 'company.industry', values: ['Banking', 'Fintech'] }, team: 'fintech' },
    { id: 'emea', when: { op: 'in', field: 'contact.country', values: ['DE', 'FR', 'GB'] }, team: 'emea' },
  ],
  defaultTeam: 'americas',
};

const lead = (overrides: Partial<RoutableLead> = {}): RoutableLead => ({
  contact: {},
  company: null,
  companyOwner: null,
  now: Date.UTC(2026, 4, 4),
  ...overrides,
});

const teamOf = (strategy: Team['strategy'], reps: Team['reps']): Routing => ({
  teams: [{ id: 'sales', strategy, reps }],
  defaultTeam: 'sales',
});

/** Routes `count` leads to the default team, carrying the rotation state from one to the next. */
function routeMany(routing: Routing, count: number, unavailableAt: (step: number) => string[] = () => []): string[] {
  let rotation: RotationStates = {};
  const owners: string[] = [];
  for (let step = 0; step < count; step++) {
    const result = routeLead(routing, lead(), rotation, new Set(unavailableAt(step)));
    if (!result.ok) throw new Error(result.error.message);
    if (result.value.rotation === null) throw new Error('expected a team rotation');
    rotation = { [result.value.teamId]: result.value.rotation };
    owners.push(result.value.owner);
  }
  return owners;
}

describe('rotation within a team', () => {
  const cases: Array<{ name: string; routing: Routing; unavailableAt?: (step: number) => string[]; owners: string[] }> =
    [
      {
        name: 'round robin cycles a, b, c, a',
        routing: teamOf('round-robin', [{ id: 'a' }, { id: 'b' }, { id: 'c' }]),
        owners: ['a', 'b', 'c', 'a'],
      },
      {
        name: 'weighted 2:1 interleaves smoothly as a, b, a, a, b, a',
        routing: teamOf('weighted', [
          { id: 'a', weight: 2 },
          { id: 'b', weight: 1 },
        ]),
        owners: ['a', 'b', 'a', 'a', 'b', 'a'],
      },
      {
        name: 'weights are ignored under round robin',
        routing: teamOf('round-robin', [{ id: 'a', weight: 5 }, { id: 'b' }]),
        owners: ['a', 'b', 'a', 'b'],
      },
      {
        name: 'an unavailable rep is skipped and the others keep alternating',
        routing: teamOf('round-robin', [{ id: 'a' }, { id: 'b' }, { id: 'c' }]),
        unavailableAt: () => ['b'],
        owners: ['a', 'c', 'a', 'c'],
      },
      {
        name: 'a rep back from absence gets no burst of catch-up leads',
        routing: teamOf('round-robin', [{ id: 'a' }, { id: 'b' }]),
        unavailableAt: (step) => (step >= 1 && step <= 4 ? ['b'] : []),
        owners: ['a', 'a', 'a', 'a', 'a', 'b', 'a', 'b'],
      },
    ];
  it.each(cases)('$name', ({ routing, unavailableAt, owners }) => {
    expect(routeMany(routing, owners.length, unavailableAt)).toEqual(owners);
  });

  it('weighted 2:1 over 300 leads gives exactly 200 and 100', () => {
    const owners = routeMany(
      teamOf('weighted', [
        { id: 'a', weight: 2 },
        { id: 'b', weight: 1 },
      ]),
      300,
    );
    expect(owners.filter((owner) => owner === 'a')).toHaveLength(200);
    expect(owners.filter((owner) => owner === 'b')).toHaveLength(100);
  });

  it('an unavailable rep keeps its current weight while away', () => {
    const team = teamOf('round-robin', [{ id: 'a' }, { id: 'b' }]);
    const result = routeLead(team, lead(), { sales: { current: { a: -1, b: 1 } } }, new Set(['b']));
    expect(result.ok && result.value.rotation).toEqual({ current: { a: -1, b: 1 } });
  });

  it('when everyone in the team is unavailable, the error names the team and what to fix', () => {
    const result = routeLead(
      routing,
      lead({ contact: { country: 'DE' } }),
      {},
      new Set(routing.teams[0]!.reps.map((rep) => rep.id)),
    );
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'no-available-rep',
        teamId: 'emea',
        message:
          'every rep of team EMEA sales is unavailable (alice@example.com, bob@example.com); mark a rep available ' +
          'or add reps to team "emea", or escalate to the team manager dana@example.com',
      },
    });
  });
});

describe('routeLead', () => {
  const cases: Array<{
    name: string;
    lead: RoutableLead;
    unavailable?: string[];
    routing?: Routing;
    expected: { reason: string; owner: string; teamId: string | null; ruleId: string | null };
  }> = [
    {
      name: 'a company with an available owner goes to that owner',
      lead: lead({ contact: { country: 'DE' }, companyOwner: 'olga@example.com' }),
      expected: { reason: 'company-owner', owner: 'olga@example.com', teamId: null, ruleId: null },
    },
    {
      name: 'an unavailable company owner falls through to the rules',
      lead: lead({ contact: { country: 'DE' }, companyOwner: 'olga@example.com' }),
      unavailable: ['olga@example.com'],
      expected: { reason: 'rule', owner: 'alice@example.com', teamId: 'emea', ruleId: 'emea' },
    },
    {
      name: 'the company owner is ignored when companyOwnerFirst is off',
      lead: lead({ contact: { country: 'DE' }, companyOwner: 'olga@example.com' }),
      routing: { ...routing, companyOwnerFirst: false },
      expected: { reason: 'rule', owner: 'alice@example.com', teamId: 'emea', ruleId: 'emea' },
    },
    {
      name: 'a contact in a listed country goes to the territory team',
      lead: lead({ contact: { country: 'fr' } }),
      expected: { reason: 'rule', owner: 'alice@example.com', teamId: 'emea', ruleId: 'emea' },
    },
    {
      name: 'a large company goes to enterprise before its country is looked at',
      lead: lead({ contact: { country: 'DE' }, company: { employees: '1000' } }),
      expected: { reason: 'rule', owner: 'erin@example.com', teamId: 'enterprise', ruleId: 'enterprise' },
    },
    {
      name: 'a company just under the size threshold is routed by industry',
      lead: lead({ contact: { country: 'DE' }, company: { employees: 999, industry: 'banking' } }),
      expected: { reason: 'rule', owner: 'fred@example.com', teamId: 'fintech', ruleId: 'fintech' },
    },
    {
      name: 'a lead no rule matches goes to the default team',
      lead: lead({ contact: { country: 'US' }, company: { employees: 50 } }),
      expected: { reason: 'default', owner: 'amy@example.com', teamId: 'americas', ruleId: 'default' },
    },
  ];
  it.each(cases)('$name', ({ lead, unavailable, routing: override, expected }) => {
    const result = routeLead(override ?? routing, lead, {}, new Set(unavailable ?? []));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { reason, owner, teamId, ruleId } = result.value;
    expect({ reason, owner, teamId, ruleId }).toEqual(expected);
    expect(result.value.rotation === null).toBe(reason === 'company-owner');
  });

  it('explains the rule, the team, the strategy and the rep', () => {
    const result = routeLead(
      routing,
      lead({ contact: { country: 'GB' }, companyOwner: 'olga@example.com' }),
      { emea: { current: { 'alice@example.com': -1, 'bob@example.com': 1 } } },
      new Set(['olga@example.com']),
    );
    expect(result.ok && result.value.explanation).toBe(
      'company owner olga@example.com is unavailable; matched rule `emea` (contact.country in DE, FR, GB) ' +
        '→ team EMEA sales, round robin → bob@example.com',
    );
  });

  it('explains which reps were unavailable', () => {
    const result = routeLead(routing, lead({ contact: { country: 'GB' } }), {}, new Set(['alice@example.com']));
    expect(result.ok && result.value.explanation).toBe(
      'matched rule `emea` (contact.country in DE, FR, GB) → team EMEA sales, round robin ' +
        '(unavailable: alice@example.com) → bob@example.com',
    );
  });

  it('fails with no-team when no rule matches and there is no default team', () => {
    const result = routeLead({ ...routing, defaultTeam: undefined }, lead(), {}, new Set());
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'no-team',
        message:
          'none of the 3 routing rules matched and `routing.defaultTeam` is not set; ' +
          'set a default team or add a rule that matches this lead',
      },
    });
  });

  it('team and rep ids that look like object keys are ordinary ids', () => {
    const odd = teamOf('round-robin', [{ id: '__proto__' }, { id: 'constructor' }]);
    const renamed: Routing = { teams: [{ ...odd.teams[0]!, id: 'constructor' }], defaultTeam: 'constructor' };
    expect(routeMany(renamed, 3)).toEqual(['__proto__', 'constructor', '__proto__']);
  });

  it('the example playbook section is valid, and so is every rotation state', () => {
    expect(Value.Errors(RoutingSchema, routing).First()).toBeUndefined();
    const result = routeLead(routing, lead({ company: { employees: 5000 } }), {}, new Set());
    expect(result.ok && Value.Check(RotationState, result.value.rotation)).toBe(true);
  });
});

describe('nextRepAfter', () => {
  const emea = { current: {} };
  const cases: Array<{ name: string; current: string; unavailable: string[]; outcome: string }> = [
    {
      name: 'hands the lead to the other rep',
      current: 'alice@example.com',
      unavailable: [],
      outcome: 'bob@example.com',
    },
    {
      name: 'never returns the current owner even when the rotation would pick them next',
      current: 'bob@example.com',
      unavailable: [],
      outcome: 'alice@example.com',
    },
    {
      name: 'fails when the current owner is the only available rep',
      current: 'alice@example.com',
      unavailable: ['bob@example.com'],
      outcome: 'no-other-rep',
    },
    {
      name: 'fails when nobody in the team is available',
      current: 'alice@example.com',
      unavailable: ['alice@example.com', 'bob@example.com'],
      outcome: 'no-available-rep',
    },
  ];
  it.each(cases)('$name', ({ current, unavailable, outcome }) => {
    const rotation =
      current === 'bob@example.com' ? { current: { 'alice@example.com': -1, 'bob@example.com': 1 } } : emea;
    const result = nextRepAfter(routing, 'emea', current, rotation, new Set(unavailable));
    expect(result.ok ? result.value.owner : result.error.kind).toBe(outcome);
  });

  it('says who else to ask when the current owner is the only one left', () => {
    const result = nextRepAfter(routing, 'emea', 'alice@example.com', emptyRotation, new Set(['bob@example.com']));
    expect(!result.ok && result.error.message).toBe(
      'alice@example.com is the only available rep of team EMEA sales; mark another rep available ' +
        'or add reps to team "emea", or escalate to the team manager dana@example.com',
    );
  });

  it('fails with unknown-team for a team no longer in the playbook', () => {
    const result = nextRepAfter(routing, 'apac', 'alice@example.com', undefined, new Set());
    expect(!result.ok && result.error.kind).toBe('unknown-team');
  });

  it('never returns the current owner, for any team and rotation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 5 }),
        fc.nat(40),
        (weights, warmUp) => {
          const team = teamOf(
            'weighted',
            weights.map((weight, index) => ({ id: `r${index}`, weight })),
          );
          let rotation: RotationState = emptyRotation;
          for (let step = 0; step < warmUp; step++) {
            const owner = `r${step % weights.length}`;
            const result = nextRepAfter(team, 'sales', owner, rotation, new Set());
            if (!result.ok) return false;
            if (result.value.owner === owner) return false;
            rotation = result.value.rotation;
          }
          return true;
        },
      ),
    );
  });
});

describe('rotation invariants', () => {
  const weightsArbitrary = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 });
  const weighted = (weights: number[]) =>
    teamOf(
      'weighted',
      weights.map((weight, index) => ({ id: `r${index}`, weight })),
    );

  it('every sum(weights) × N consecutive picks give each rep exactly weight × N, after any warm-up', () => {
    fc.assert(
      fc.property(weightsArbitrary, fc.nat(50), fc.integer({ min: 1, max: 4 }), (weights, warmUp, rounds) => {
        const total = weights.reduce((sum, weight) => sum + weight, 0);
        const owners = routeMany(weighted(weights), warmUp + rounds * total).slice(warmUp);
        weights.forEach((weight, index) => {
          expect(owners.filter((owner) => owner === `r${index}`)).toHaveLength(weight * rounds);
        });
      }),
    );
  });

  it('a rotation state that went through JSON picks exactly as the original', () => {
    const unavailableArbitrary = fc.array(fc.array(fc.nat(5), { maxLength: 2 }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(weightsArbitrary, unavailableArbitrary, (weights, absences) => {
        const team = weighted(weights);
        let direct: RotationStates = {};
        let stored: RotationStates = {};
        for (const absent of absences) {
          const unavailable = new Set(absent.map((index) => `r${index}`));
          const a = routeLead(team, lead(), direct, unavailable);
          const b = routeLead(team, lead(), JSON.parse(JSON.stringify(stored)), unavailable);
          expect(b).toEqual(a);
          if (!a.ok || a.value.rotation === null || !b.ok || b.value.rotation === null) continue;
          direct = { sales: a.value.rotation };
          stored = { sales: b.value.rotation };
        }
      }),
    );
  });
});
