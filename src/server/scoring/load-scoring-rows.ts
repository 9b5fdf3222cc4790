import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { EngagementEvent } from '../../core/scoring/engagement-state.ts';
import { anyUuid } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import type { EventsTable } from '../db/schema.ts';
import { rereadLockedStates, type ScoringRow, scoringSource } from '../lifecycle/load-leads.ts';

/** Loads and row-locks contacts (in id order, so concurrent batches cannot deadlock). */
export async function loadScoringRows(
  trx: Db,
  workspaceId: string,
  contactIds: readonly string[],
  lock: boolean,
): Promise<ScoringRow[]> {
  if (contactIds.length === 0) return [];
  const forUpdate = lock ? sql`for update of c` : sql``;
  const source = scoringSource(lock);
  const result = await sql<ScoringRow>`
    select ${source.columns}
    from ${source.from}
    where c.workspace_id = ${workspaceId} and c.id = any(${[...contactIds]}::uuid[])
    order by c.id
    ${forUpdate}`.execute(trx);
  return lock ? rereadLockedStates(trx, workspaceId, result.rows) : result.rows;
}

/** An event row as scoring reads it. */
export type EventRow = Pick<
  Selectable<EventsTable>,
  'message_id' | 'name' | 'properties' | 'context' | 'source' | 'occurred_at'
> & {
  /** Scoring reads only attributed events. */
  contact_id: string;
  /** The column is text; ingestion stores these four. */
  type: EngagementEvent['type'];
};

export function toEngagementEvent(row: Omit<EventRow, 'contact_id'>): EngagementEvent {
  return {
    id: row.message_id,
    type: row.type,
    name: row.name,
    properties: row.properties,
    context: row.context,
    source: row.source,
    occurredAt: row.occurred_at.getTime(),
  };
}

/**
 * All events of these contacts since `since` (older ones cannot count), grouped by contact,
 * except events still waiting in the score queue: whoever takes that queue row folds them in,
 * so counting them here too would count them twice.
 */
export async function loadContactEvents(
  trx: Db,
  workspaceId: string,
  contactIds: readonly string[],
  since: number,
): Promise<Map<string, EngagementEvent[]>> {
  const grouped = new Map<string, EngagementEvent[]>();
  if (contactIds.length === 0) return grouped;
  const ids = anyUuid(contactIds);
  const pending = await sql<{ message_id: string }>`
    select unnest(message_ids) as message_id from score_queue
    where workspace_id = ${workspaceId} and contact_id = ${ids}`.execute(trx);
  const queued = new Set(pending.rows.map((row) => row.message_id));
  const result = await sql<EventRow>`
    select contact_id, message_id, type, name, properties, context, source, occurred_at
    from events
    where workspace_id = ${workspaceId} and contact_id = ${ids} and occurred_at >= ${new Date(since)}
    order by contact_id, occurred_at`.execute(trx);
  for (const row of result.rows) {
    if (queued.has(row.message_id)) continue;
    const list = grouped.get(row.contact_id) ?? [];
    list.push(toEngagementEvent(row));
    grouped.set(row.contact_id, list);
  }
  return grouped;
}

/** Ids of the contacts of these companies: their fit changes when a company's traits do. */
export async function listCompanyContacts(
  trx: Db,
  workspaceId: string,
  companyIds: readonly string[],
): Promise<string[]> {
  if (companyIds.length === 0) return [];
  const rows = await trx
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('company_id', '=', anyUuid(companyIds))
    .execute();
  return rows.map((row) => row.id);
}
