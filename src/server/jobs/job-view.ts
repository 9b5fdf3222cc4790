import { type Static, Type } from '@sinclair/typebox';
import type { Selectable } from 'kysely';
import type { JobsTable } from '../db/schema.ts';
import { Nullable } from '../http/schema-helpers.ts';

export const JobStatusSchema = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('done'),
  Type.Literal('failed'),
]);

export const JobView = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  status: JobStatusSchema,
  payload: Type.Record(Type.String(), Type.Unknown()),
  dedupeKey: Nullable(Type.String()),
  runAt: Type.String({ format: 'date-time', description: 'when the job is (or was) due' }),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  lockedUntil: Nullable(Type.String({ format: 'date-time', description: 'end of the running attempt’s lease' })),
  lastError: Nullable(Type.String({ description: 'message of the last failed attempt' })),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type JobView = Static<typeof JobView>;

export const JOB_COLUMNS = [
  'id',
  'kind',
  'status',
  'payload',
  'dedupe_key',
  'run_at',
  'attempts',
  'max_attempts',
  'locked_until',
  'last_error',
  'created_at',
  'finished_at',
] as const;

export type JobRow = Pick<Selectable<JobsTable>, (typeof JOB_COLUMNS)[number]>;

export function toJobView(row: JobRow): JobView {
  return {
    id: Number(row.id),
    kind: row.kind,
    status: row.status,
    payload: row.payload,
    dedupeKey: row.dedupe_key,
    runAt: row.run_at.toISOString(),
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lockedUntil: row.locked_until?.toISOString() ?? null,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
