import type { Db } from '../db/open-database.ts';
import type { JobHandler } from './job-runner.ts';

/** Done jobs are kept this long for inspection; failed ones stay until retried. */
export const DONE_JOB_RETENTION_MS = 7 * 24 * 3_600_000;

/** The `jobs-cleanup` sweep: deletes the workspace's jobs that finished successfully over a week before `now`. */
export async function cleanupJobs(db: Db, workspaceId: string, now: number): Promise<number> {
  const result = await db
    .deleteFrom('jobs')
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'done')
    .where('finished_at', '<', new Date(now - DONE_JOB_RETENTION_MS))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The `jobs-cleanup` handler. */
export function createCleanupJobsHandler(db: Db): JobHandler {
  return async (job, now) => {
    await cleanupJobs(db, job.workspaceId, now);
  };
}
