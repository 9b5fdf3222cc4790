import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../db/open-database.ts';
import type { JobsTable } from '../db/schema.ts';

/** How long a claim holds a job before another runner may take it (the claimer is presumed dead). */
export const DEFAULT_LEASE_MS = 5 * 60_000;

export interface ClaimedJob {
  workspaceId: string;
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  /** This attempt's number, counting from 1; also the claim's token for finishing the job. */
  attempts: number;
  maxAttempts: number;
}

type ClaimedRow = Pick<Selectable<JobsTable>, 'workspace_id' | 'id' | 'kind' | 'payload' | 'attempts' | 'max_attempts'>;

/**
 * Takes up to `limit` due jobs in one statement: queued ones whose time has come, and running
 * ones whose lease ran out (their runner stopped mid-job). SKIP LOCKED lets any number of
 * runners claim at once without taking the same job; the lease then keeps it theirs. The
 * claim is a materialized CTE so that it runs exactly once (see markDue in sweep-sla.ts).
 */
export async function claimJobs(db: Db, now: number, limit = 10, leaseMs = DEFAULT_LEASE_MS): Promise<ClaimedJob[]> {
  const at = new Date(now);
  const result = await sql<ClaimedRow>`
    with due as materialized (
      select workspace_id, id from jobs
      where status in ('queued', 'running')
        and ((status = 'queued' and run_at <= ${at}) or (status = 'running' and locked_until < ${at}))
      order by run_at, id
      limit ${limit}
      for update skip locked
    )
    update jobs j
    set status = 'running', attempts = j.attempts + 1, locked_until = ${new Date(now + leaseMs)}
    from due
    where j.workspace_id = due.workspace_id and j.id = due.id
    returning j.workspace_id, j.id, j.kind, j.payload, j.attempts, j.max_attempts`.execute(db);
  return result.rows.map((row) => ({
    workspaceId: row.workspace_id,
    id: Number(row.id),
    kind: row.kind,
    payload: row.payload,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
  }));
}
