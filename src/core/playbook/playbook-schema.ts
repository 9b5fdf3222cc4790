import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Condition, Duration, Id } from './condition-schema.ts';
import { HandoffSchema } from './handoff-schema.ts';

/**
 * The playbook: one declarative document holding the scoring model and the
 * qualification criteria. This schema is the single source of truth: it validates
 * YAML input, produces the published JSON Schema, and gives the TypeScript types.
 */

const EventType = Type.Union([
  Type.Literal('track'),
  Type.Literal('page'),
  Type.Literal('identify'),
  Type.Literal('group'),
]);
export type EventType = Static<typeof EventType>;

/** Which events a rule matches: type, track name(s) (case-insensitive) and conditions on the event. */
export const EventMatch = Type.Object(
  {
    type: Type.Optional(EventType),
    name: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }))])),
    where: Type.Optional(Type.Array(Condition)),
    includeMachine: Type.Optional(
      Type.Boolean({
        description:
          'also match events flagged `properties.machine` (opens by Apple Mail Privacy Protection, clicks by link scanners), which rules skip by default',
      }),
    ),
  },
  { additionalProperties: false },
);
export type EventMatch = Static<typeof EventMatch>;

const Points = Type.Number({ minimum: -1000, maximum: 1000, description: 'points, kept to hundredths' });

const FitRule = Type.Object(
  { id: Id, label: Type.Optional(Type.String()), when: Condition, points: Points },
  { additionalProperties: false },
);
export type FitRule = Static<typeof FitRule>;

const FitGroup = Type.Object(
  {
    id: Id,
    label: Type.Optional(Type.String()),
    cap: Type.Optional(Type.Number({ minimum: 0, description: 'most points the group can add' })),
    firstMatchOnly: Type.Optional(
      Type.Boolean({ description: 'count only the first matching rule of the group (for exclusive bands)' }),
    ),
    rules: Type.Array(FitRule, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type FitGroup = Static<typeof FitGroup>;

const FrequencyCap = Type.Object(
  {
    count: Type.Integer({ minimum: 1 }),
    per: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('window')]),
  },
  {
    additionalProperties: false,
    description: 'at most `count` matching events counted per UTC day, ISO week, or ever',
  },
);
export type FrequencyCap = Static<typeof FrequencyCap>;

const EngagementRule = Type.Object(
  {
    id: Id,
    label: Type.Optional(Type.String()),
    match: EventMatch,
    points: Points,
    once: Type.Optional(Type.Boolean({ description: 'count only the first matching event ever' })),
    cap: Type.Optional(FrequencyCap),
    lookback: Type.Optional(Duration),
    halfLife: Type.Optional(Duration),
  },
  { additionalProperties: false },
);
export type EngagementRule = Static<typeof EngagementRule>;

const EngagementGroup = Type.Object(
  {
    id: Id,
    label: Type.Optional(Type.String()),
    cap: Type.Optional(Type.Number({ minimum: 0 })),
    rules: Type.Array(EngagementRule, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type EngagementGroup = Static<typeof EngagementGroup>;

const GradeBands = Type.Object(
  { A: Type.Number(), B: Type.Number(), C: Type.Number() },
  { additionalProperties: false, description: 'minimum fit for grades A, B and C; anything lower is D' },
);
const TemperatureBands = Type.Object(
  { hot: Type.Number(), warm: Type.Number() },
  { additionalProperties: false, description: 'minimum engagement for hot and warm; anything lower is cold' },
);

const Criterion = Type.Object(
  {
    id: Id,
    label: Type.Optional(Type.String()),
    when: Type.String({ minLength: 1, description: 'criteria expression, e.g. `fit >= 50 and engagement >= 40`' }),
  },
  { additionalProperties: false },
);
export type Criterion = Static<typeof Criterion>;

/** The company (account) score: what a company earns by itself, plus engagement rolled up from its people. */
const CompanySection = Type.Object(
  {
    groups: Type.Array(FitGroup, {
      minItems: 1,
      description: 'rule groups over `company.*` fields only: maturity, trust, technology…',
    }),
    engagement: Type.Optional(
      Type.Object(
        {
          weight: Type.Number({
            minimum: 0,
            maximum: 10,
            description: "points per point of its contacts' engagement, summed",
          }),
          cap: Type.Optional(Type.Number({ minimum: 0, description: 'most points the rolled-up engagement can add' })),
          engagedAt: Type.Number({
            minimum: 0,
            description: 'engagement from which a contact counts as engaged (`company.engagedContacts`)',
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      'the company score (0-100), which contact criteria read as `company.score`, with `company.engagedContacts`',
  },
);
export type CompanySection = Static<typeof CompanySection>;

export const PlaybookSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    fit: Type.Object(
      {
        groups: Type.Array(FitGroup, { minItems: 1 }),
        grades: GradeBands,
      },
      { additionalProperties: false },
    ),
    engagement: Type.Object(
      {
        lookback: Type.Optional(Duration),
        defaultHalfLife: Type.Optional(Duration),
        cap: Type.Optional(Type.Number({ minimum: 0, description: 'most points engagement can reach' })),
        groups: Type.Array(EngagementGroup, { minItems: 1 }),
        temperatures: TemperatureBands,
      },
      { additionalProperties: false },
    ),
    company: Type.Optional(CompanySection),
    combined: Type.Optional(
      Type.Object(
        {
          fitWeight: Type.Number({ minimum: 0, maximum: 1 }),
          engagementWeight: Type.Number({ minimum: 0, maximum: 1 }),
        },
        { additionalProperties: false },
      ),
    ),
    mql: Type.Object(
      {
        criteria: Type.Array(Criterion, { minItems: 1, description: 'a lead becomes an MQL when any criterion holds' }),
      },
      { additionalProperties: false },
    ),
    handRaisers: Type.Optional(
      Type.Object(
        {
          minFit: Type.Number({ description: 'fit a hand-raiser needs for the fast lane' }),
          within: Type.Optional(
            Type.String({
              pattern: Duration.pattern,
              description:
                'a hand-raising event that happened longer ago than this when Ripen scores it (an imported history, a late batch) takes no fast lane; default 30d',
            }),
          ),
          events: Type.Array(Type.Object({ id: Id, match: EventMatch }, { additionalProperties: false }), {
            minItems: 1,
          }),
        },
        { additionalProperties: false },
      ),
    ),
    handoff: Type.Optional(HandoffSchema),
  },
  {
    additionalProperties: false,
    $id: 'https://ripen.dev/schemas/playbook.json',
    title: 'Ripen playbook',
  },
);
export type Playbook = Static<typeof PlaybookSchema>;

/** Schemas that need to be registered alongside the playbook when validating (recursive refs). */
export const playbookSubSchemas: TSchema[] = [Condition];
