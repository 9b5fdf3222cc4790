import { type RawBuilder, sql } from 'kysely';
import { jsonRows } from '../db/bulk.ts';

/**
 * The statement that records, inside the caller's transaction, that contacts (with the ids
 * of their events not yet scored) and companies (whose contacts' fit may have changed) need
 * scoring; null when there is nothing to record. The scoring worker takes these rows in
 * batches; because the row commits with the events, a crash between acknowledging and
 * scoring loses nothing.
 */
export function queueScoring(
  workspaceId: string,
  /** Contact id → ids of its events not yet scored. */
  newEvents: ReadonlyMap<string, readonly string[]>,
  companyIds: readonly string[],
): RawBuilder<unknown> | null {
  const rows: Array<{ contact_id: string | null; company_id: string | null; message_ids: readonly string[] }> = [];
  for (const [contactId, messageIds] of newEvents) {
    rows.push({ contact_id: contactId, company_id: null, message_ids: messageIds });
  }
  for (const companyId of companyIds) rows.push({ contact_id: null, company_id: companyId, message_ids: [] });
  if (rows.length === 0) return null;
  return sql`insert into score_queue (workspace_id, contact_id, company_id, message_ids)
    select ${workspaceId}, v.contact_id, v.company_id, array(select jsonb_array_elements_text(v.message_ids))
    from jsonb_to_recordset(${jsonRows(rows)}) as v(contact_id uuid, company_id uuid, message_ids jsonb)`;
}
