import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { STAGES, type Stage } from '../lifecycle/stages.ts';

/**
 * The funnel analytics reports (docs/insight.md): their names, the splits they offer and the
 * shapes of their answers, as JSON Schemas with the TypeScript types derived from them. The
 * server's routes validate and document with these schemas; the web app imports the types.
 */

export const REPORT_NAMES = ['funnel', 'time-in-stage', 'sla', 'recycle', 'grade-temperature', 'revenue'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** Splits by where a lead came from: its first touch, or its last touch before it became an MQL. */
export const TOUCH_SPLITS = [
  'first-touch-source',
  'last-touch-source',
  'first-touch-channel',
  'last-touch-channel',
  'first-touch-campaign',
  'last-touch-campaign',
] as const;
export const SPLITS = [...TOUCH_SPLITS, 'industry', 'size', 'owner', 'playbook-version'] as const;
export type Split = (typeof SPLITS)[number];
export type TouchSplit = (typeof TOUCH_SPLITS)[number];

/** The forward stages of the funnel, in order; `recycled` and `disqualified` are side stages. */
export const FUNNEL_STAGES = [
  'lead',
  'mql',
  'sal',
  'sql',
  'opportunity',
  'customer',
] as const satisfies readonly Stage[];
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** The 1-based rank of a funnel stage (`lead` 1 … `customer` 6), as `reached` counts it. */
export function funnelRank(stage: FunnelStage): number {
  return FUNNEL_STAGES.indexOf(stage) + 1;
}

/** Which `by` splits each report takes, and the one it uses when none is given. */
export const REPORT_SPLITS: Readonly<Record<ReportName, { splits: readonly Split[]; defaultSplit: Split | null }>> = {
  funnel: { splits: SPLITS, defaultSplit: null },
  'time-in-stage': { splits: [], defaultSplit: null },
  sla: { splits: [], defaultSplit: null },
  recycle: { splits: [], defaultSplit: null },
  'grade-temperature': { splits: [], defaultSplit: null },
  revenue: { splits: SPLITS, defaultSplit: 'first-touch-source' },
};

export function isReportName(value: string): value is ReportName {
  return (REPORT_NAMES as readonly string[]).includes(value);
}

export function isFunnelStage(value: string): value is FunnelStage {
  return (FUNNEL_STAGES as readonly string[]).includes(value);
}

export function isSplit(value: string): value is Split {
  return (SPLITS as readonly string[]).includes(value);
}

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const oneOf = <const T extends readonly string[]>(values: T) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

const Count = Type.Integer({ minimum: 0 });

/** A count and the key that opens the leads behind it. */
export const FigureSchema = Type.Object({
  count: Count,
  cell: Type.String({
    description:
      'opens the leads behind this figure: GET /api/reports/{name}/leads?cell=… with the same from, to and by',
  }),
});
export type Figure = Static<typeof FigureSchema>;

const Rate = Nullable(
  Type.Number({
    description: 'a share between 0 and 1, rounded to 4 decimals; null when there is nothing to divide by',
  }),
);
const Seconds = Nullable(Type.Number({ description: 'seconds; null when there is nothing to measure' }));
const SplitSchema = oneOf(SPLITS);

/** The period every report covers: `from` included, `to` excluded, as ISO instants. */
const period = {
  from: Type.String({ description: 'start of the period, included (ISO 8601)' }),
  to: Type.String({ description: 'end of the period, excluded (ISO 8601)' }),
};

export const FunnelReportSchema = Type.Object({
  report: Type.Literal('funnel'),
  ...period,
  by: Nullable(SplitSchema),
  /** MQL → SQL over all leads that entered in the period. */
  headline: Type.Object({ rate: Rate, mql: FigureSchema, sql: FigureSchema }),
  rows: Type.Array(
    Type.Object({
      month: Nullable(Type.String({ description: 'YYYY-MM (UTC) the leads entered; null for the whole period' })),
      group: Nullable(Type.String({ description: 'the `by` group; null for all groups' })),
      stages: Type.Array(
        Type.Object({
          stage: oneOf(FUNNEL_STAGES),
          count: Count,
          cell: Type.String(),
          rate: Nullable(
            Type.Number({ description: 'share of the previous stage’s leads that reached this one; null for `lead`' }),
          ),
        }),
      ),
    }),
  ),
});
export type FunnelReport = Static<typeof FunnelReportSchema>;
export type FunnelRow = FunnelReport['rows'][number];

export const TimeInStageReportSchema = Type.Object({
  report: Type.Literal('time-in-stage'),
  ...period,
  stages: Type.Array(
    Type.Object({
      stage: oneOf(STAGES),
      /** Stays in the stage that ended in the period; a lead may stay in a stage twice. */
      stays: Count,
      leads: FigureSchema,
      medianSeconds: Seconds,
      p90Seconds: Seconds,
    }),
  ),
});
export type TimeInStageReport = Static<typeof TimeInStageReportSchema>;

const SlaFigures = {
  /** Hand-offs whose first-touch deadline fell in the period. */
  due: FigureSchema,
  inTime: FigureSchema,
  breached: FigureSchema,
  touched: FigureSchema,
  inTimeRate: Rate,
  medianSecondsToFirstTouch: Seconds,
};
export const SlaReportSchema = Type.Object({
  report: Type.Literal('sla'),
  ...period,
  total: Type.Object(SlaFigures),
  owners: Type.Array(Type.Object({ owner: Type.String(), ...SlaFigures })),
});
export type SlaReport = Static<typeof SlaReportSchema>;
export type SlaFigures = SlaReport['total'];

const RecycleRowSchema = Type.Object({
  reason: Nullable(Type.String({ description: 'the recycle reason; null for all reasons' })),
  recycled: FigureSchema,
  requalified: FigureSchema,
  requalifiedRate: Rate,
  medianSecondsToRequalify: Seconds,
});
export const RecycleReportSchema = Type.Object({
  report: Type.Literal('recycle'),
  ...period,
  total: RecycleRowSchema,
  reasons: Type.Array(RecycleRowSchema),
});
export type RecycleReport = Static<typeof RecycleReportSchema>;
export type RecycleRow = Static<typeof RecycleRowSchema>;

const GradeTemperatureRowSchema = Type.Object({
  grade: Nullable(Type.String()),
  temperature: Nullable(Type.String()),
  leads: FigureSchema,
  sql: FigureSchema,
  won: FigureSchema,
  sqlRate: Rate,
  wonRate: Rate,
});
export const GradeTemperatureReportSchema = Type.Object({
  report: Type.Literal('grade-temperature'),
  ...period,
  total: GradeTemperatureRowSchema,
  cells: Type.Array(GradeTemperatureRowSchema),
});
export type GradeTemperatureReport = Static<typeof GradeTemperatureReportSchema>;
export type GradeTemperatureRow = Static<typeof GradeTemperatureRowSchema>;

const RevenueRowSchema = Type.Object({
  group: Nullable(Type.String({ description: 'the `by` group; null for the currency’s total' })),
  currency: Type.String({ description: 'as recorded with the outcomes, upper-cased; `none` when not given' }),
  amount: Type.Number({ description: 'sum of the won amounts, exact to the cent' }),
  /** Won outcomes (deals); a lead can win more than one. */
  deals: Count,
  leads: FigureSchema,
});
export const RevenueReportSchema = Type.Object({
  report: Type.Literal('revenue'),
  ...period,
  by: SplitSchema,
  rows: Type.Array(RevenueRowSchema),
  totals: Type.Array(RevenueRowSchema),
});
export type RevenueReport = Static<typeof RevenueReportSchema>;
export type RevenueRow = Static<typeof RevenueRowSchema>;

export type Report =
  | FunnelReport
  | TimeInStageReport
  | SlaReport
  | RecycleReport
  | GradeTemperatureReport
  | RevenueReport;

/** One lead behind a figure. */
export const ReportLeadSchema = Type.Object({
  id: Type.String(),
  email: Nullable(Type.String()),
  name: Nullable(Type.String({ description: 'first and last name' })),
  stage: Type.String(),
  score: Type.Number({ description: 'combined score in points' }),
  owner: Nullable(Type.String()),
});
export const ReportLeadsPageSchema = Type.Object({
  items: Type.Array(ReportLeadSchema),
  nextCursor: Nullable(Type.String({ description: 'pass as `cursor` for the next page; null on the last' })),
});
export type ReportLead = Static<typeof ReportLeadSchema>;
export type ReportLeadsPage = Static<typeof ReportLeadsPageSchema>;

/** What `GET /api/reports` lists: each report and the splits it takes. */
export const ReportCatalogSchema = Type.Object({
  reports: Type.Array(
    Type.Object({ name: oneOf(REPORT_NAMES), splits: Type.Array(SplitSchema), defaultBy: Nullable(SplitSchema) }),
  ),
});
export type ReportCatalog = Static<typeof ReportCatalogSchema>;
