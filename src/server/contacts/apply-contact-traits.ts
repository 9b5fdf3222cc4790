import { sql } from 'kysely';
import type { NormalizedMessage } from '../../core/ingest/segment-message.ts';
import { jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { type ContactColumns, splitContactTraits } from './contact-traits.ts';

/** Applies identify traits, later messages of the batch winning, in one statement. Returns changed contact ids. */
export async function applyContactTraits(
  trx: Db,
  workspaceId: string,
  messages: readonly NormalizedMessage[],
  contactByMessage: ReadonlyArray<string | null>,
): Promise<string[]> {
  const merged = new Map<string, { columns: ContactColumns; properties: Record<string, unknown> }>();
  messages.forEach((message, index) => {
    const contactId = contactByMessage[index];
    if (message.type !== 'identify' || !message.traits || !contactId) return;
    const { columns, properties } = splitContactTraits(message.traits);
    const current = merged.get(contactId) ?? { columns: {}, properties: {} };
    merged.set(contactId, {
      columns: { ...current.columns, ...columns },
      properties: { ...current.properties, ...properties },
    });
  });
  if (merged.size === 0) return [];
  const rows = [...merged].map(([id, { columns, properties }]) => ({ id, ...columns, properties }));
  await sql`update contacts as c set
      first_name = coalesce(v.first_name, c.first_name),
      last_name = coalesce(v.last_name, c.last_name),
      job_title = coalesce(v.job_title, c.job_title),
      seniority = coalesce(v.seniority, c.seniority),
      role = coalesce(v.role, c.role),
      phone = coalesce(v.phone, c.phone),
      country = coalesce(v.country, c.country),
      properties = c.properties || v.properties,
      updated_at = now()
    from jsonb_to_recordset(${jsonRows(rows)}) as v(
      id uuid, first_name text, last_name text, job_title text, seniority text, role text, phone text,
      country text, properties jsonb)
    where c.workspace_id = ${workspaceId} and c.id = v.id`.execute(trx);
  return [...merged.keys()];
}
