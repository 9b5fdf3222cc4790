import { type Static, Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { Db } from '../db/open-database.ts';
import { Nullable } from '../http/schema-helpers.ts';

export const QueueCounts = Type.Object({
  scoreQueue: Type.Object({
    pending: Type.Integer({
      description: 'contacts and companies waiting to be scored, and companies waiting for their score to roll up',
    }),
    oldestQueuedAt: Nullable(Type.String({ format: 'date-time' })),
  }),
  jobs: Type.Object({ queued: Type.Integer(), running: Type.Integer(), failed: Type.Integer() }),
  webhookDeliveries: Type.Object({ pending: Type.Integer(), failed: Type.Integer() }),
});
export type QueueCounts = Static<typeof QueueCounts>;

interface CountsRow {
  score_pending: number;
  score_oldest: Date | string | null;
  jobs_queued: number;
  jobs_running: number;
  jobs_failed: number;
  deliveries_pending: number;
  deliveries_failed: number;
}

/** The backlog of a workspace's queues, in one round trip. */
export async function countQueues(db: Db, workspaceId: string): Promise<QueueCounts> {
  const result = await sql<CountsRow>`
    select
      s.pending::int as score_pending, s.oldest as score_oldest,
      j.queued::int as jobs_queued, j.running::int as jobs_running, j.failed::int as jobs_failed,
      d.pending::int as deliveries_pending, d.failed::int as deliveries_failed
    from
      (select (select count(*) from score_queue where workspace_id = ${workspaceId})
          + (select count(*) from company_score_queue where workspace_id = ${workspaceId}) as pending,
         (select min(queued_at) from score_queue where workspace_id = ${workspaceId}) as oldest) s,
      (select
         count(*) filter (where status = 'queued') as queued,
         count(*) filter (where status = 'running') as running,
         count(*) filter (where status = 'failed') as failed
       from jobs where workspace_id = ${workspaceId} and status in ('queued', 'running', 'failed')) j,
      (select
         count(*) filter (where status = 'pending') as pending,
         count(*) filter (where status = 'failed') as failed
       from webhook_deliveries where workspace_id = ${workspaceId} and status in ('pending', 'failed')) d`.execute(db);
  const row = result.rows[0];
  if (row === undefined) throw new Error('count query returned no row');
  return {
    scoreQueue: {
      pending: row.score_pending,
      oldestQueuedAt: row.score_oldest === null ? null : new Date(row.score_oldest).toISOString(),
    },
    jobs: { queued: row.jobs_queued, running: row.jobs_running, failed: row.jobs_failed },
    webhookDeliveries: { pending: row.deliveries_pending, failed: row.deliveries_failed },
  };
}
