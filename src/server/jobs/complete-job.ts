import type { Db } from '../db/open-database.ts';
import type { ClaimedJob } from './claim-jobs.ts';

/**
 * Marks a claimed job done. Matching on `attempts` makes the claim a token: a runner whose
 * lease expired and whose job was claimed again cannot overwrite the newer attempt's state.
 */
export async function completeJob(db: Db, job: ClaimedJob, now: number): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'done', finished_at: new Date(now), locked_until: null })
    .where('workspace_id', '=', job.workspaceId)
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where('attempts', '=', job.attempts)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
