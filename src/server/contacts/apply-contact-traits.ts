import { sql } from 'kysely';
import type { NormalizedMessage } from '../../core/ingest/segment-message.ts';
import { jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { type ContactColumns, splitContactTraits } from './contact-traits.ts';

/** Traits for one contact, merged from a batch's identify calls, later ones winning. */
export type ContactTraits = Map<string, { columns: ContactColumns; properties: Record<string, unknown> }>;

/** A contact's company as a batch says it: a group call sets it (`force`); an email domain only fills a gap. */
export interface CompanyLink {
  contactId: string;
  companyId: string;
  force: boolean;
}

/** The identify traits of a batch per contact. */
export function mergeContactTraits(
  messages: readonly NormalizedMessage[],
  contactByMessage: ReadonlyArray<string | null>,
): ContactTraits {
  const merged: ContactTraits = new Map();
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
  return merged;
}

/**
 * Writes a batch's traits and company links in one statement, so a contact that gets both
 * is written once. A link that would change nothing writes nothing.
 */
export async function applyContactTraits(
  trx: Db,
  workspaceId: string,
  traits: ContactTraits,
  links: readonly CompanyLink[],
): Promise<void> {
  const rows = new Map<string, Record<string, unknown>>();
  for (const [id, { columns, properties }] of traits) rows.set(id, { id, ...columns, properties, traits: true });
  for (const link of links) {
    const row = rows.get(link.contactId) ?? { id: link.contactId, traits: false };
    rows.set(link.contactId, { ...row, company_id: link.companyId, force: link.force });
  }
  if (rows.size === 0) return;
  await sql`update contacts as c set
      first_name = coalesce(v.first_name, c.first_name),
      last_name = coalesce(v.last_name, c.last_name),
      job_title = coalesce(v.job_title, c.job_title),
      seniority = coalesce(v.seniority, c.seniority),
      role = coalesce(v.role, c.role),
      phone = coalesce(v.phone, c.phone),
      country = coalesce(v.country, c.country),
      properties = c.properties || coalesce(v.properties, '{}'),
      company_id = case when v.company_id is not null and (v.force or c.company_id is null) then v.company_id
        else c.company_id end,
      updated_at = now()
    from jsonb_to_recordset(${jsonRows([...rows.values()])}) as v(
      id uuid, traits boolean, first_name text, last_name text, job_title text, seniority text, role text,
      phone text, country text, properties jsonb, company_id uuid, force boolean)
    where c.workspace_id = ${workspaceId} and c.id = v.id
      and (v.traits or ((v.force or c.company_id is null) and c.company_id is distinct from v.company_id))`.execute(
    trx,
  );
}
