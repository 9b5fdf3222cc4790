import type { Db } from '../db/open-database.ts';
import { decodeCursor, toPage } from '../http/cursor.ts';

/** A contact's stage history, oldest first; time in stage is the gap to the next entry. */
export async function listStageHistory(db: Db, workspaceId: string, contactId: string) {
  const rows = await db
    .selectFrom('stage_history')
    .select([
      'id',
      'from_stage',
      'to_stage',
      'at',
      'actor',
      'transition',
      'rule',
      'reason',
      'playbook_version',
      'score_snapshot',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('id')
    .execute();
  return rows.map((row, index) => {
    const next = rows[index + 1];
    return {
      from: row.from_stage,
      to: row.to_stage,
      at: row.at.toISOString(),
      actor: row.actor,
      transition: row.transition,
      rule: row.rule,
      reason: row.reason,
      playbookVersion: row.playbook_version,
      scoreSnapshot: row.score_snapshot,
      timeInStageMs: next ? next.at.getTime() - row.at.getTime() : null,
    };
  });
}

export interface TimelineFilters {
  type?: string;
  source?: string;
  name?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

/** A contact's events, newest first, filterable by type, name, source and date range. */
export async function listContactEvents(db: Db, workspaceId: string, contactId: string, filters: TimelineFilters) {
  const limit = Math.min(Math.max(filters.limit ?? 100, 1), 500);
  let query = db
    .selectFrom('events')
    .select(['id', 'message_id', 'type', 'name', 'properties', 'context', 'source', 'occurred_at', 'received_at'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId);
  if (filters.type) query = query.where('type', '=', filters.type);
  if (filters.source) query = query.where('source', '=', filters.source);
  if (filters.name) query = query.where('name', '=', filters.name);
  if (filters.from) query = query.where('occurred_at', '>=', new Date(filters.from));
  if (filters.to) query = query.where('occurred_at', '<', new Date(filters.to));
  if (filters.cursor) {
    const [at, id] = decodeCursor(filters.cursor, 2);
    const when = new Date(String(at));
    query = query.where((eb) =>
      eb.or([eb('occurred_at', '<', when), eb.and([eb('occurred_at', '=', when), eb('id', '<', Number(id))])]),
    );
  }
  const rows = await query
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  return toPage(
    rows,
    limit,
    (row) => [row.occurred_at.toISOString(), row.id],
    (row) => ({
      messageId: row.message_id,
      type: row.type,
      name: row.name,
      source: row.source,
      properties: row.properties,
      context: row.context,
      occurredAt: row.occurred_at.toISOString(),
      receivedAt: row.received_at.toISOString(),
    }),
  );
}
