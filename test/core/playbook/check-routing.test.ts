import { describe, expect, it } from 'vitest';
import { checkRouting } from '../../../src/core/playbook/check-routing.ts';
import type { Routing } from '../../../src/core/playbook/routing-schema.ts';

const valid: Routing = {
  teams: [
    { id: 'emea', strategy: 'weighted', reps: [{ id: 'alice@example.com', weight: 2 }, { id: 'bob@example.com' }] },
    { id: 'enterprise', reps: [{ id: 'erin@example.com' }] },
  ],
  rules: [{ id: 'big', when: { op: 'range', field: 'company.employees', min: 1000 }, team: 'enterprise' }],
  defaultTeam: 'emea',
};

describe('checkRouting', () => {
  const cases: Array<{ name: string; routing: Routing; issues: string[] }> = [
    { name: 'a consistent section has no issues', routing: valid, issues: [] },
    {
      name: 'a rule naming an undefined team lists the defined ones',
      routing: {
        ...valid,
        rules: [
          ...(valid.rules ?? []),
          { id: 'apac', when: { op: 'equals', field: 'contact.country', value: 'JP' }, team: 'apac' },
        ],
      },
      issues: ['`routing.rules[1].team` names team "apac", which is not defined; defined teams: emea, enterprise'],
    },
    {
      name: 'an undefined default team is named',
      routing: { ...valid, defaultTeam: 'americas' },
      issues: ['`routing.defaultTeam` names team "americas", which is not defined; defined teams: emea, enterprise'],
    },
    {
      name: 'team ids must be unique',
      routing: { ...valid, teams: [...valid.teams, { id: 'emea', reps: [{ id: 'x' }] }] },
      issues: [
        '`routing.teams[2].id` "emea" is already used at `routing.teams[0].id`; team ids must be unique; rename one of the teams "emea"',
      ],
    },
    {
      name: 'a team needs at least one rep, listed once',
      routing: {
        ...valid,
        teams: [
          { id: 'emea', reps: [] },
          { id: 'enterprise', reps: [{ id: 'erin' }, { id: 'erin' }] },
        ],
      },
      issues: [
        '`routing.teams[0].reps` is empty; team "emea" needs at least one rep',
        '`routing.teams[1].reps[1].id` "erin" is already used at `routing.teams[1].reps[0].id`; list erin once in team ' +
          '"enterprise" and give a bigger share with `weight` and `strategy: weighted`',
      ],
    },
    {
      name: 'weights must be whole numbers of at least 1, and only count under the weighted strategy',
      routing: {
        ...valid,
        teams: [
          {
            id: 'emea',
            strategy: 'weighted',
            reps: [
              { id: 'a', weight: 0 },
              { id: 'b', weight: 1.5 },
            ],
          },
          { id: 'enterprise', reps: [{ id: 'c', weight: 3 }] },
        ],
      },
      issues: [
        '`routing.teams[0].reps[0].weight` must be a whole number of at least 1, got 0',
        '`routing.teams[0].reps[1].weight` must be a whole number of at least 1, got 1.5',
        '`routing.teams[1].reps[0].weight` is ignored because team "enterprise" uses round-robin; set `strategy: weighted` or remove the weight',
      ],
    },
    {
      name: 'rule ids are unique and "default" is reserved',
      routing: {
        ...valid,
        rules: [
          { id: 'default', when: { op: 'exists', field: 'contact.email' }, team: 'emea' },
          { id: 'default', when: { op: 'exists', field: 'contact.phone' }, team: 'emea' },
        ],
      },
      issues: [
        '`routing.rules[1].id` "default" is already used at `routing.rules[0].id`; rule ids must be unique because routing history refers to them; rename one of the rules "default"',
        '`routing.rules[0].id` "default" is reserved for leads sent to the default team; rename the rule',
        '`routing.rules[1].id` "default" is reserved for leads sent to the default team; rename the rule',
      ],
    },
    {
      name: 'without rules or a default team no lead can be routed',
      routing: { teams: valid.teams },
      issues: ['`routing` has no `rules` and no `defaultTeam`, so no lead can be routed to a team; set `defaultTeam`'],
    },
  ];
  it.each(cases)('$name', ({ routing, issues }) => {
    expect(checkRouting(routing)).toEqual(issues);
  });
});
