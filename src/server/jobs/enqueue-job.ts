import { sql } from 'kysely';
import type { Db } from '../db/open-database.ts';

export interface NewJob {
  workspaceId: string;
  kind: string;
  payload?: Record<string, unknown>;
  /** When the job becomes due (epoch ms, from the caller's clock). */
  runAt: number;
  /** At most one job per (workspace, kind, dedupeKey) ever exists, so scheduling is idempotent. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/**
 * Adds a job to the queue; `executor` may be a transaction, so a job can be committed with
 * the change that calls for it. Returns false when a job with the same dedupe key exists.
 */
export async function enqueueJob(executor: Db, job: NewJob): Promise<boolean> {
  const result = await sql`
    insert into jobs (workspace_id, kind, payload, dedupe_key, run_at, max_attempts)
    values (
      ${job.workspaceId}, ${job.kind}, ${JSON.stringify(job.payload ?? {})}::jsonb, ${job.dedupeKey ?? null},
      ${new Date(job.runAt)}, ${job.maxAttempts ?? 10}
    )
    on conflict (workspace_id, kind, dedupe_key) where dedupe_key is not null do nothing`.execute(executor);
  return Number(result.numAffectedRows ?? 0) > 0;
}
