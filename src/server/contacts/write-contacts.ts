import { sql } from 'kysely';
import type { NormalizedMessage } from '../../core/ingest/segment-message.ts';
import { jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { type ContactColumns, splitContactTraits } from './contact-traits.ts';
import type { KnownContact } from './look-up-and-lock-identities.ts';

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
 * Writes a batch's contacts: new ones are inserted with their traits and company; existing
 * ones get traits and company links in one update, so no contact is written twice. A link
 * that would change nothing writes nothing.
 */
export async function writeContacts(
  trx: Db,
  workspaceId: string,
  /** Version new contacts start on: their empty state is already that version's. */
  playbookVersion: number,
  created: readonly KnownContact[],
  traits: ContactTraits,
  links: readonly CompanyLink[],
): Promise<void> {
  const rows = new Map<string, Record<string, unknown>>();
  for (const [id, { columns, properties }] of traits) rows.set(id, { id, ...columns, properties, traits: true });
  for (const link of links) {
    const row = rows.get(link.contactId) ?? { id: link.contactId, traits: false };
    rows.set(link.contactId, { ...row, company_id: link.companyId, force: link.force });
  }
  if (created.length > 0) {
    const inserts = created.map((contact) => {
      const row = rows.get(contact.id);
      rows.delete(contact.id);
      return { ...row, id: contact.id, user_id: contact.user_id, email: contact.email };
    });
    await sql`insert into contacts (workspace_id, id, user_id, email, playbook_version, first_name, last_name,
        job_title, seniority, role, phone, country, properties, company_id)
      select ${workspaceId}, v.id, v.user_id, v.email, ${playbookVersion}::integer, v.first_name, v.last_name,
        v.job_title, v.seniority, v.role, v.phone, v.country, coalesce(v.properties, '{}'), v.company_id
      from jsonb_to_recordset(${jsonRows(inserts)}) as v(id uuid, user_id text, email text, first_name text,
        last_name text, job_title text, seniority text, role text, phone text, country text, properties jsonb,
        company_id uuid)`.execute(trx);
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
