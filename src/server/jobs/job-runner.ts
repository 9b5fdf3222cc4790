import type { Db } from '../db/open-database.ts';
import { type ClaimedJob, claimJobs, DEFAULT_LEASE_MS } from './claim-jobs.ts';
import { completeJob } from './complete-job.ts';
import { ensureRecurringJobs, type RecurringJob } from './ensure-recurring-jobs.ts';
import { failJob } from './fail-job.ts';
import { createWorkLoop, type WorkLoop } from './work-loop.ts';

/** What a handler is told about the job it runs. */
export interface RunningJob {
  workspaceId: string;
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  /** 1 on the first attempt. */
  attempts: number;
}

/**
 * Runs one job. Delivery is at least once (a runner can stop after the work but before
 * recording it), so a handler is an idempotent sweep: it does what is due at `now` and doing
 * it twice changes nothing. It may run beside another job of its kind in another process.
 * Throwing fails the attempt; only the error's message is stored, so keep contact data out
 * of messages. Finish well within the lease (5 min): sweep a bounded batch, leave the rest
 * to the next slot.
 */
export type JobHandler = (job: RunningJob, now: number) => Promise<void>;

export interface JobFailure {
  job: RunningJob;
  /** Whether the job will be tried again after a back-off, or has used up its attempts. */
  outcome: 'retrying' | 'failed';
}

export interface JobRunner extends WorkLoop {
  /** One pass: enqueues the current recurring slots, then claims and runs one batch of due jobs. */
  tick(): Promise<number>;
}

export interface JobRunnerOptions {
  db: Db;
  clock: () => number;
  handlers: Readonly<Record<string, JobHandler>>;
  schedule?: readonly RecurringJob[];
  /** Jobs claimed per statement; a batch runs concurrently. */
  batchSize?: number;
  leaseMs?: number;
  /** A pass failed (database trouble): the next poll tries again. */
  onError?: (error: unknown) => void;
  /** A handler threw (or no handler exists); the failure is already recorded on the job. */
  onJobFailed?: (failure: JobFailure, error: unknown) => void;
}

/**
 * The in-process loop over the `jobs` table. Jobs are claimed from the database with a lease,
 * so any number of processes can run a runner; a job whose runner died is taken again once
 * its lease expires.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { db, clock, handlers } = options;
  const schedule = options.schedule ?? [];
  async function runJob(job: ClaimedJob, now: number): Promise<void> {
    const view: RunningJob = {
      workspaceId: job.workspaceId,
      id: job.id,
      kind: job.kind,
      payload: job.payload,
      attempts: job.attempts,
    };
    try {
      if (job.attempts > job.maxAttempts) {
        // Claimed again after its last attempt's lease expired: the job keeps stopping its runner.
        throw new Error(`abandoned: attempt ${job.maxAttempts} of ${job.maxAttempts} never finished (lease expired)`);
      }
      const handler = Object.hasOwn(handlers, job.kind) ? handlers[job.kind] : undefined;
      if (handler === undefined) {
        const known = Object.keys(handlers).sort().join(', ') || 'none';
        throw new Error(`no handler for job kind \`${job.kind}\` in this process (known kinds: ${known})`);
      }
      await handler(view, now);
    } catch (error) {
      const outcome = await failJob(db, job, clock(), error);
      options.onJobFailed?.({ job: view, outcome }, error);
      return;
    }
    await completeJob(db, job, clock());
  }

  async function tick(): Promise<number> {
    const now = clock();
    await ensureRecurringJobs(db, now, schedule);
    const claimed = await claimJobs(db, now, options.batchSize ?? 10, options.leaseMs ?? DEFAULT_LEASE_MS);
    // Settle the whole batch before reporting trouble, so no job is left mid-run behind a rejection.
    const settled = await Promise.allSettled(claimed.map((job) => runJob(job, now)));
    const rejected = settled.find((result) => result.status === 'rejected');
    if (rejected) throw rejected.reason;
    return claimed.length;
  }

  const loop = createWorkLoop({ pass: async () => (await tick()) > 0, onError: options.onError });
  return { ...loop, tick };
}
