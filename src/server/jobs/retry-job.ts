import { err, ok, type Result } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { JOB_COLUMNS, type JobView, toJobView } from './job-view.ts';

export type RetryJobError = { kind: 'not_found' } | { kind: 'not_failed'; status: string };

/** Puts a failed job back in the queue, due at `now`, with a fresh set of attempts. */
export async function retryJob(
  db: Db,
  workspaceId: string,
  id: number,
  now: number,
): Promise<Result<JobView, RetryJobError>> {
  const row = await db
    .updateTable('jobs')
    .set({ status: 'queued', attempts: 0, run_at: new Date(now), locked_until: null, finished_at: null })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .returning(JOB_COLUMNS)
    .executeTakeFirst();
  if (row) return ok(toJobView(row));
  const existing = await db
    .selectFrom('jobs')
    .select('status')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return err(existing ? { kind: 'not_failed', status: existing.status } : { kind: 'not_found' });
}
