import { Type } from '@sinclair/typebox';
import { Nullable } from '../http/schema-helpers.ts';

const Json = Type.Record(Type.String(), Type.Unknown());

/** One explanation line: its kind and points, and what that kind of line says (rule, cap, events…). */
const ExplanationLine = Type.Object(
  { kind: Type.String(), points: Type.Number() },
  { additionalProperties: true, description: 'rule lines name group, rule, label and the events counted' },
);

export const ExplanationSchema = Type.Object({
  at: Type.String({ format: 'date-time', description: 'when the explained score was computed' }),
  playbookVersion: Type.Integer(),
  cell: Type.String({ description: 'grade and temperature, e.g. A-hot' }),
  fit: Type.Object({ points: Type.Number(), grade: Type.String(), lines: Type.Array(ExplanationLine) }),
  engagement: Type.Object({ points: Type.Number(), temperature: Type.String(), lines: Type.Array(ExplanationLine) }),
  combined: Type.Object({ points: Type.Number() }, { additionalProperties: true }),
});

export const StageHistoryItem = Type.Object({
  from: Nullable(Type.String()),
  to: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actor: Nullable(Type.String()),
  transition: Nullable(Type.String()),
  rule: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  playbookVersion: Nullable(Type.Integer()),
  scoreSnapshot: Type.Unknown({
    description: 'fit, engagement, score, grade, temperature and playbook version at the move',
  }),
  timeInStageMs: Nullable(Type.Number()),
});

export const TimelineEvent = Type.Object({
  messageId: Type.String(),
  type: Type.String(),
  name: Nullable(Type.String()),
  source: Nullable(Type.String()),
  properties: Json,
  context: Json,
  occurredAt: Type.String({ format: 'date-time' }),
  receivedAt: Type.String({ format: 'date-time' }),
});
