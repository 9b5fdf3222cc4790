import type { CompiledPlaybook } from '../../core/playbook/compile-playbook.ts';
import { withRetry } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { startHandoffs } from '../handoff/start-handoffs.ts';
import { queueAllCompanyScores } from './company-scores.ts';
import { qualifiedBy, scoreContacts } from './score-contacts.ts';

export interface RescoreProgress {
  runId: string;
  processed: number;
  total: number;
}

/**
 * Recomputes every contact of a workspace under a playbook version, in id-ordered batches
 * of one transaction each. The run's cursor is saved with each batch, so a run that was
 * interrupted (crash, kill -9) resumes where it stopped when called again.
 */
export async function rescoreWorkspace(
  db: Db,
  workspaceId: string,
  playbook: CompiledPlaybook,
  now: () => number,
  options: { batchSize?: number; onProgress?: (progress: RescoreProgress) => void } = {},
): Promise<RescoreProgress> {
  const batchSize = options.batchSize ?? 500;
  let run = await db
    .selectFrom('rescore_runs')
    .select(['id', 'cursor', 'processed', 'total'])
    .where('workspace_id', '=', workspaceId)
    .where('playbook_version', '=', playbook.version)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (!run) {
    const count = await db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirstOrThrow();
    run = await db
      .insertInto('rescore_runs')
      .values({
        workspace_id: workspaceId,
        playbook_version: playbook.version,
        status: 'running',
        total: Number(count.total),
      })
      .returning(['id', 'cursor', 'processed', 'total'])
      .executeTakeFirstOrThrow();
  }
  const runId = run.id;
  let cursor = run.cursor;
  let processed = run.processed;
  options.onProgress?.({ runId, processed, total: run.total });
  for (;;) {
    let query = db
      .selectFrom('contacts')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .orderBy('id')
      .limit(batchSize);
    if (cursor !== null) query = query.where('id', '>', cursor);
    const ids = (await query.execute()).map((row) => row.id);
    if (ids.length === 0) break;
    const last = ids[ids.length - 1] ?? null;
    await withRetry(() =>
      db.transaction().execute(async (trx) => {
        const at = now();
        const outcome = await scoreContacts(trx, workspaceId, playbook, at, {
          contactIds: ids,
          newEvents: new Map(),
          full: true,
        });
        await startHandoffs(trx, workspaceId, playbook, at, qualifiedBy(outcome));
        await trx
          .updateTable('rescore_runs')
          .set({ cursor: last, processed: processed + ids.length })
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', runId)
          .execute();
      }),
    );
    cursor = last;
    processed += ids.length;
    options.onProgress?.({ runId, processed, total: Math.max(run.total, processed) });
  }
  if (playbook.document.company) await queueAllCompanyScores(db, workspaceId);
  await db
    .updateTable('rescore_runs')
    .set({ status: 'done', finished_at: new Date(now()) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', runId)
    .execute();
  return { runId, processed, total: Math.max(run.total, processed) };
}
