import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { type PlaybookStore, StalePlaybookError } from '../../core/playbook/playbook-store.ts';
import type { EngagementEvent } from '../../core/scoring/engagement-state.ts';
import { anyText, withRetry } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import type { ScoreQueueTable } from '../db/schema.ts';
import { startHandoffs } from '../handoff/start-handoffs.ts';
import { queueCompanyScores } from './company-scores.ts';
import type { FreshEvents } from './fresh-events.ts';
import { type EventRow, listCompanyContacts, toEngagementEvent } from './load-scoring-rows.ts';
import { qualifiedBy, type ScoreOutcome, scoreContacts } from './score-contacts.ts';

type QueuedRow = Pick<Selectable<ScoreQueueTable>, 'workspace_id' | 'contact_id' | 'company_id' | 'message_ids'>;

export interface QueuedBatchResult {
  /** Queue rows taken (0 when the queue was empty). */
  claimed: number;
  scored: number;
  transitions: ScoreOutcome['transitions'];
}

/**
 * Takes up to `limit` score-queue rows and applies them in one transaction: folds the queued
 * events into their contacts' states, rescores contacts of changed companies, and makes the
 * automatic lifecycle moves. Rows are claimed with SKIP LOCKED, so several workers (in one
 * process or many) share the queue; a crash rolls the claim back and the rows are taken again.
 */
export async function scoreQueuedBatch(
  db: Db,
  playbooks: PlaybookStore,
  now: () => number,
  limit = 2000,
  fresh: FreshEvents | null = null,
): Promise<QueuedBatchResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withRetry(() =>
        db.transaction().execute((trx) => claimAndScore(trx, playbooks, now(), limit, fresh)),
      );
    } catch (error) {
      // Another process published a newer playbook: score with that one instead.
      if (!(error instanceof StalePlaybookError) || attempt > 2) throw error;
      playbooks.invalidateAll();
    }
  }
}

// The claim is a materialized CTE so that it runs exactly once (see markDue in sweep-sla.ts).
async function claimAndScore(trx: Db, playbooks: PlaybookStore, now: number, limit: number, fresh: FreshEvents | null) {
  const claimed = await sql<QueuedRow>`
    with p as materialized (select workspace_id, id from score_queue order by id limit ${limit} for update skip locked)
    delete from score_queue q
    using p
    where q.workspace_id = p.workspace_id and q.id = p.id
    returning q.workspace_id, q.contact_id, q.company_id, q.message_ids`.execute(trx);
  const result: QueuedBatchResult = { claimed: claimed.rows.length, scored: 0, transitions: [] };
  const byWorkspace = new Map<string, QueuedRow[]>();
  for (const row of claimed.rows) {
    const list = byWorkspace.get(row.workspace_id) ?? [];
    list.push(row);
    byWorkspace.set(row.workspace_id, list);
  }
  for (const [workspaceId, rows] of byWorkspace) {
    // Without a published playbook nothing can be scored; publishing rescores every contact.
    const playbook = await playbooks.active(workspaceId, trx);
    if (playbook === null) continue;
    const contactIds = new Set<string>();
    for (const row of rows) if (row.contact_id) contactIds.add(row.contact_id);
    const companyIds = rows.flatMap((row) => (row.company_id ? [row.company_id] : []));
    for (const id of await listCompanyContacts(trx, workspaceId, companyIds)) contactIds.add(id);
    // A changed company profile changes its score, contacts or none.
    if (playbook.document.company) await queueCompanyScores(workspaceId, companyIds)?.execute(trx);
    const newEvents = await loadQueuedEvents(trx, workspaceId, rows, fresh);
    for (const id of newEvents.keys()) contactIds.add(id);
    const outcome = await scoreContacts(trx, workspaceId, playbook, now, {
      contactIds: [...contactIds],
      newEvents,
      full: false,
    });
    await startHandoffs(trx, workspaceId, playbook, now, qualifiedBy(outcome));
    result.scored += outcome.scored;
    result.transitions.push(...outcome.transitions);
  }
  return result;
}

/**
 * The queued events grouped by contact: from this process's fresh-event cache when it has
 * them (a queued event's contact never changes: re-attribution only fills a missing one and
 * queues the event again for its new contact), else from the events table.
 */
async function loadQueuedEvents(
  trx: Db,
  workspaceId: string,
  rows: readonly QueuedRow[],
  fresh: FreshEvents | null,
): Promise<Map<string, EngagementEvent[]>> {
  const grouped = new Map<string, EngagementEvent[]>();
  const messageIds: string[] = [];
  for (const row of rows) {
    if (row.contact_id === null || row.message_ids.length === 0) continue;
    const { found, missing } = fresh ? fresh.take(row.message_ids) : { found: [], missing: row.message_ids };
    if (found.length > 0) grouped.set(row.contact_id, [...(grouped.get(row.contact_id) ?? []), ...found]);
    messageIds.push(...missing);
  }
  if (messageIds.length === 0) return grouped;
  const result = await sql<EventRow>`
    select contact_id, message_id, type, name, properties, context, source, occurred_at
    from events
    where workspace_id = ${workspaceId} and message_id = ${anyText(messageIds)} and contact_id is not null`.execute(
    trx,
  );
  for (const row of result.rows) {
    const list = grouped.get(row.contact_id) ?? [];
    list.push(toEngagementEvent(row));
    grouped.set(row.contact_id, list);
  }
  return grouped;
}
