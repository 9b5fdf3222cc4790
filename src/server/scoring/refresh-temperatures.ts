import { sql } from 'kysely';
import type { PlaybookStore } from '../../core/playbook/playbook-store.ts';
import { withRetry } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { startHandoffs } from '../handoff/start-handoffs.ts';
import { qualifiedBy, scoreContacts } from './score-contacts.ts';

/**
 * Engagement decays with time, so a contact nobody touched still cools down: rescores, in
 * id-ordered batches, contacts with engagement that were last scored over `staleMs` before
 * `now`. Idempotent: a contact rescored moments ago is left alone.
 */
export async function refreshTemperatures(
  deps: { db: Db; playbooks: PlaybookStore },
  workspaceId: string,
  now: number,
  options: { staleMs?: number; batchSize?: number } = {},
): Promise<number> {
  const playbook = await deps.playbooks.active(workspaceId);
  if (playbook === null) return 0;
  const staleBefore = new Date(now - (options.staleMs ?? 3_600_000));
  const batchSize = options.batchSize ?? 500;
  let cursor = '00000000-0000-0000-0000-000000000000';
  let total = 0;
  for (;;) {
    const ids = await sql<{ id: string }>`
      select id from contacts
      where workspace_id = ${workspaceId} and engagement <> 0 and scored_at < ${staleBefore} and id > ${cursor}::uuid
      order by id limit ${batchSize}`.execute(deps.db);
    const batch = ids.rows.map((row) => row.id);
    if (batch.length === 0) return total;
    await withRetry(() =>
      deps.db.transaction().execute(async (trx) => {
        const outcome = await scoreContacts(trx, workspaceId, playbook, now, {
          contactIds: batch,
          newEvents: new Map(),
          full: false,
        });
        await startHandoffs(trx, workspaceId, playbook, now, qualifiedBy(outcome));
      }),
    );
    total += batch.length;
    cursor = batch[batch.length - 1] ?? cursor;
  }
}
