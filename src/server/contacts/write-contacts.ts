import { sql } from 'kysely';
import type { CompanyLink } from '../../core/companies/plan-companies.ts';
import {
  CONTACT_PROFILE_COLUMNS,
  type ContactColumns,
  splitContactTraits,
} from '../../core/contacts/contact-fields.ts';
import type { Resolution } from '../../core/identity/resolve-identities.ts';
import type { NormalizedMessage } from '../../core/ingest/segment-message.ts';
import { combineWrites, jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';

/** The profile columns in the statements below, from the field table (constant SQL, not input). */
const PROFILE = {
  columns: sql.raw(CONTACT_PROFILE_COLUMNS.join(', ')),
  values: sql.raw(CONTACT_PROFILE_COLUMNS.map((column) => `v.${column}`).join(', ')),
  types: sql.raw(CONTACT_PROFILE_COLUMNS.map((column) => `${column} text`).join(', ')),
  // A trait sent now replaces the stored one; one not sent keeps it.
  updates: sql.raw(
    CONTACT_PROFILE_COLUMNS.map((column) => `${column} = coalesce(v.${column}, c.${column})`).join(', '),
  ),
};

/** Traits for one contact, merged from a batch's identify calls, later ones winning. */
export type ContactTraits = Map<string, { columns: ContactColumns; properties: Record<string, unknown> }>;

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
 * Writes what a batch resolved about its contacts, in one statement: new anonymous-id links;
 * new contacts with their traits and company; and for known ones, traits, company links and a
 * gained user id or email. No contact is written twice. A link that would change nothing
 * writes nothing.
 */
export async function writeContacts(
  trx: Db,
  workspaceId: string,
  /** Version new contacts start on: their empty state is already that version's. */
  playbookVersion: number,
  resolution: Pick<Resolution, 'created' | 'gained' | 'linkWrites'>,
  traits: ContactTraits,
  links: readonly CompanyLink[],
): Promise<void> {
  const rows = new Map<string, Record<string, unknown>>();
  for (const [id, { columns, properties }] of traits) rows.set(id, { id, ...columns, properties, changed: true });
  for (const contact of resolution.gained) {
    rows.set(contact.id, {
      ...rows.get(contact.id),
      id: contact.id,
      user_id: contact.user_id,
      email: contact.email,
      changed: true,
    });
  }
  for (const link of links) {
    const row = rows.get(link.contactId) ?? { id: link.contactId, changed: false };
    rows.set(link.contactId, { ...row, company_id: link.companyId, force: link.force });
  }
  const inserts = resolution.created.map((contact) => {
    const row = rows.get(contact.id);
    rows.delete(contact.id);
    return { ...row, id: contact.id, user_id: contact.user_id, email: contact.email };
  });
  const anonymousLinks = resolution.linkWrites.map((link) => ({
    anonymous_id: link.anonymousId,
    contact_id: link.contactId,
  }));
  await combineWrites([
    anonymousLinks.length === 0
      ? null
      : sql`insert into anonymous_ids (workspace_id, anonymous_id, contact_id)
        select ${workspaceId}, v.anonymous_id, v.contact_id
        from jsonb_to_recordset(${jsonRows(anonymousLinks)}) as v(anonymous_id text, contact_id uuid)
        on conflict (workspace_id, anonymous_id) do update set contact_id = excluded.contact_id, linked_at = now()
        where anonymous_ids.contact_id is distinct from excluded.contact_id`,
    inserts.length === 0
      ? null
      : sql`insert into contacts (workspace_id, id, user_id, email, playbook_version, ${PROFILE.columns},
          properties, company_id)
        select ${workspaceId}, v.id, v.user_id, v.email, ${playbookVersion}::integer, ${PROFILE.values},
          coalesce(v.properties, '{}'), v.company_id
        from jsonb_to_recordset(${jsonRows(inserts)}) as v(id uuid, user_id text, email text, ${PROFILE.types},
          properties jsonb, company_id uuid)`,
    rows.size === 0
      ? null
      : sql`update contacts as c set
          user_id = coalesce(c.user_id, v.user_id),
          email = coalesce(c.email, v.email),
          ${PROFILE.updates},
          properties = c.properties || coalesce(v.properties, '{}'),
          company_id = case when v.company_id is not null and (v.force or c.company_id is null) then v.company_id
            else c.company_id end,
          updated_at = now()
        from jsonb_to_recordset(${jsonRows([...rows.values()])}) as v(
          id uuid, changed boolean, user_id text, email text, ${PROFILE.types}, properties jsonb, company_id uuid,
          force boolean)
        where c.workspace_id = ${workspaceId} and c.id = v.id
          and (v.changed or ((v.force or c.company_id is null) and c.company_id is distinct from v.company_id))`,
  ])?.execute(trx);
}
