import { type Static, Type } from '@sinclair/typebox';
import { Condition, Id } from './condition-schema.ts';

/**
 * The playbook's `routing:` section: who a qualified lead is handed to. Teams rotate
 * their reps; rules, first match wins, pick the team from the contact and company.
 */

const RepId = Type.String({ minLength: 1, description: 'a sales rep: email address or user id' });

const Rep = Type.Object(
  {
    id: RepId,
    weight: Type.Optional(
      Type.Integer({ minimum: 1, description: 'share of leads under the weighted strategy; default 1' }),
    ),
  },
  { additionalProperties: false },
);
export type Rep = Static<typeof Rep>;

const Strategy = Type.Union([Type.Literal('round-robin'), Type.Literal('weighted')], {
  description: 'round-robin gives every rep the same share; weighted gives shares proportional to `weight`',
});
export type Strategy = Static<typeof Strategy>;

const Team = Type.Object(
  {
    id: Id,
    label: Type.Optional(Type.String()),
    manager: Type.Optional(RepId),
    strategy: Type.Optional(Strategy),
    reps: Type.Array(Rep, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type Team = Static<typeof Team>;

const RoutingRule = Type.Object(
  {
    id: Id,
    label: Type.Optional(Type.String()),
    when: Condition,
    team: Id,
  },
  { additionalProperties: false, description: 'leads matching `when` go to `team`; the first matching rule wins' },
);
export type RoutingRule = Static<typeof RoutingRule>;

export const RoutingSchema = Type.Object(
  {
    companyOwnerFirst: Type.Optional(
      Type.Boolean({
        description: 'a lead whose company already has an owner goes to that owner when available; default false',
      }),
    ),
    teams: Type.Array(Team, { minItems: 1 }),
    rules: Type.Optional(Type.Array(RoutingRule)),
    defaultTeam: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type Routing = Static<typeof RoutingSchema>;
