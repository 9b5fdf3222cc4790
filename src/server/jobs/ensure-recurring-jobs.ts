import { sql } from 'kysely';
import { jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';

export interface RecurringJob {
  kind: string;
  everyMs: number;
  /** A recurring sweep's next slot is its retry, so it needs few attempts of its own. */
  maxAttempts: number;
}

/** The slot `now` falls in: its dedupe key and its start, when the job becomes due. */
export function recurringSlot(job: RecurringJob, now: number): { dedupeKey: string; runAt: number } {
  const slot = Math.floor(now / job.everyMs);
  return { dedupeKey: `${job.kind}:${slot}`, runAt: slot * job.everyMs };
}

/**
 * Enqueues the current slot's job of every recurring kind for every workspace, in one
 * statement. The dedupe index makes this idempotent: any number of runners in any number of
 * processes may call it every pass and each slot still gets one job per workspace and kind.
 * Returns how many jobs were created.
 */
export async function ensureRecurringJobs(db: Db, now: number, schedule: readonly RecurringJob[]): Promise<number> {
  if (schedule.length === 0) return 0;
  const slots = schedule.map((job) => ({
    kind: job.kind,
    dedupe_key: recurringSlot(job, now).dedupeKey,
    run_at: new Date(recurringSlot(job, now).runAt).toISOString(),
    max_attempts: job.maxAttempts,
  }));
  // `not exists` skips the insert (and the identity value it would burn) in the common case;
  // `on conflict` settles the race between runners inserting the same slot at once.
  const result = await sql`
    insert into jobs (workspace_id, kind, dedupe_key, run_at, max_attempts)
    select w.id, s.kind, s.dedupe_key, s.run_at, s.max_attempts
    from workspaces w
    cross join jsonb_to_recordset(${jsonRows(slots)})
      as s(kind text, dedupe_key text, run_at timestamptz, max_attempts integer)
    where not exists (
      select 1 from jobs j where j.workspace_id = w.id and j.kind = s.kind and j.dedupe_key = s.dedupe_key
    )
    on conflict (workspace_id, kind, dedupe_key) where dedupe_key is not null do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
