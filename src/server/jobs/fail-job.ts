import type { Db } from '../db/open-database.ts';
import type { ClaimedJob } from './claim-jobs.ts';

const FIRST_RETRY_MS = 10_000;
const MAX_RETRY_MS = 3_600_000;
const MAX_ERROR_LENGTH = 1000;

/** Wait before the next attempt after attempt `attempts` failed: 10 s, 20 s, 40 s, … capped at 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(attempts - 1, 0), MAX_RETRY_MS);
}

/** Only the message is kept: payloads and error objects may carry contact data. */
export function describeJobError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH - 1)}…` : message;
}

/**
 * Records a failed attempt: the job goes back to the queue after a back-off, or, once its
 * attempts are used up, stays `failed` (listed by GET /api/jobs?status=failed until retried).
 * Matching on `attempts` ignores a stale runner whose job was claimed again.
 */
export async function failJob(db: Db, job: ClaimedJob, now: number, error: unknown): Promise<'retrying' | 'failed'> {
  const lastError = describeJobError(error);
  const outcome = job.attempts < job.maxAttempts ? 'retrying' : 'failed';
  await db
    .updateTable('jobs')
    .set(
      outcome === 'retrying'
        ? {
            status: 'queued',
            run_at: new Date(now + retryDelayMs(job.attempts)),
            locked_until: null,
            last_error: lastError,
          }
        : { status: 'failed', finished_at: new Date(now), locked_until: null, last_error: lastError },
    )
    .where('workspace_id', '=', job.workspaceId)
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where('attempts', '=', job.attempts)
    .execute();
  return outcome;
}
