import type { Db } from '../db/open-database.ts';
import type { JobStatus } from '../db/schema.ts';
import { decodeCursor, toPage } from '../http/cursor.ts';
import { JOB_COLUMNS, type JobView, toJobView } from './job-view.ts';

export interface JobFilters {
  status?: JobStatus;
  kind?: string;
  cursor?: string;
  limit?: number;
}

/** Lists a workspace's jobs, newest first, with keyset pagination on id. */
export async function listJobs(
  db: Db,
  workspaceId: string,
  filters: JobFilters,
): Promise<{ items: JobView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), 500);
  let query = db.selectFrom('jobs').select(JOB_COLUMNS).where('workspace_id', '=', workspaceId);
  if (filters.status) query = query.where('status', '=', filters.status);
  if (filters.kind) query = query.where('kind', '=', filters.kind);
  if (filters.cursor) {
    const [id] = decodeCursor(filters.cursor, 1);
    if (typeof id !== 'number') decodeCursor('', 1);
    query = query.where('id', '<', Number(id));
  }
  const rows = await query
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, (row) => [Number(row.id)], toJobView);
}
