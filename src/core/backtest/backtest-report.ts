import { type Static, type TSchema, Type } from '@sinclair/typebox';

/**
 * The backtest's answer (docs/backtest.md) as a JSON Schema with its TypeScript type derived
 * from it: the route validates and documents with it, the CLI and the web app read the type.
 * Everything in it follows from the draft, the published playbook, the period and the stored
 * data: the same request gives the same JSON.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** MQLs a rule produced: an MQL criterion, or a hand-raiser rule (the fast lane). */
const RuleCount = Type.Object({
  rule: Type.String(),
  kind: Type.Union([Type.Literal('qualify-mql'), Type.Literal('hand-raise')]),
  mqls: Type.Integer(),
});

/** One playbook's column of the side-by-side. */
export const BacktestColumnSchema = Type.Object({
  mqls: Type.Integer({ description: 'leads that would have become MQL in the period' }),
  wonCaught: Type.Integer({ description: 'of those, leads later won (each MQL happened before its win)' }),
  precision: Nullable(Type.Number({ description: 'wonCaught / mqls; null without MQLs' })),
  recall: Nullable(Type.Number({ description: 'wonCaught / contacts.won; null without won leads' })),
  medianDaysToWin: Nullable(Type.Number({ description: 'median days from MQL to win over wonCaught, to 0.1 day' })),
  mqlsPerWeek: Type.Object({
    mean: Type.Number({ description: 'MQLs per 7 days of the period, to 0.1' }),
    peak: Type.Integer({ description: 'most MQLs in one ISO week' }),
  }),
  byRule: Type.Array(RuleCount, { description: 'MQLs per qualifying rule, most first' }),
});
export type BacktestColumn = Static<typeof BacktestColumnSchema>;

export const BacktestWeekSchema = Type.Object({
  week: Type.String({ description: 'ISO week, e.g. 2026-W07 (weeks start on Monday, UTC)' }),
  start: Type.String({ description: 'its Monday, e.g. 2026-02-09' }),
  partial: Type.Boolean({ description: 'the period covers only part of it' }),
  published: Type.Integer(),
  draft: Type.Integer(),
});
export type BacktestWeek = Static<typeof BacktestWeekSchema>;

const MqlTime = Nullable(Type.String({ format: 'date-time' }));

/** A lead MQL under one playbook and not under the other. */
export const ChangedLeadSchema = Type.Object({
  contactId: Type.String({ format: 'uuid' }),
  email: Nullable(Type.String()),
  name: Nullable(Type.String()),
  publishedMqlAt: MqlTime,
  draftMqlAt: MqlTime,
  outcome: Type.Union([
    Type.Object({
      kind: Type.String({ description: 'won, lost or opportunity' }),
      at: Type.String({ format: 'date-time' }),
    }),
    Type.Null(),
  ]),
});
export type ChangedLead = Static<typeof ChangedLeadSchema>;

export const BacktestReportSchema = Type.Object({
  period: Type.Object({
    from: Type.String({ format: 'date-time', description: 'included' }),
    to: Type.String({ format: 'date-time', description: 'excluded' }),
  }),
  published: Type.Object({ version: Type.Integer(), name: Type.String() }),
  draft: Type.Object({ name: Type.String() }),
  contacts: Type.Object({
    replayed: Type.Integer({ description: 'contacts replayed, each a lead at the start of the period' }),
    alreadyCustomers: Type.Integer({ description: 'left out: won before the period' }),
    won: Type.Integer({
      description: 'replayed contacts with a won outcome at or after `from` (recall counts from these)',
    }),
  }),
  columns: Type.Object({ published: BacktestColumnSchema, draft: BacktestColumnSchema }),
  earlier: Type.Object({
    bothCaught: Type.Integer({ description: 'won leads both playbooks made MQL before the win' }),
    medianDays: Nullable(
      Type.Number({
        description: 'median of (published MQL − draft MQL) in days over them; > 0: the draft is earlier',
      }),
    ),
  }),
  weeks: Type.Array(BacktestWeekSchema, { description: 'MQLs per ISO week: the sales inbox load' }),
  changed: Type.Object({
    total: Type.Integer({ description: 'leads MQL under exactly one of the two' }),
    draftOnly: Type.Integer(),
    publishedOnly: Type.Integer(),
    draftOnlyWon: Type.Integer({ description: 'won leads only the draft catches' }),
    publishedOnlyWon: Type.Integer({ description: 'won leads only the published playbook catches' }),
    items: Type.Array(ChangedLeadSchema, { description: 'up to `limit`: won leads first, then by contact id' }),
    limit: Type.Integer(),
  }),
});
export type BacktestReport = Static<typeof BacktestReportSchema>;
