import { sql } from 'kysely';
import { COMPANY_SUBJECT_FIELDS } from '../../core/companies/company-fields.ts';
import { CONTACT_SUBJECT_FIELDS } from '../../core/contacts/contact-fields.ts';
import type { KnownFields } from '../../core/playbook/check-field-paths.ts';
import type { Db } from '../db/open-database.ts';

/**
 * The fields playbook conditions can read in this workspace: subject fields and property keys
 * in use (null for a subject with no records yet).
 */
export async function loadKnownFields(db: Db, workspaceId: string): Promise<KnownFields> {
  const keysOf = async (table: 'contacts' | 'companies') =>
    (
      await sql<{ key: string }>`select distinct jsonb_object_keys(properties) as key from ${sql.table(table)}
        where workspace_id = ${workspaceId} and jsonb_typeof(properties) = 'object'`.execute(db)
    ).rows.map((row) => row.key);
  const contactFields = CONTACT_SUBJECT_FIELDS;
  const companyFields = COMPANY_SUBJECT_FIELDS;
  const hasAny = async (table: 'contacts' | 'companies') =>
    (await sql`select 1 from ${sql.table(table)} where workspace_id = ${workspaceId} limit 1`.execute(db)).rows.length >
    0;
  return {
    contact: (await hasAny('contacts')) ? new Set([...contactFields, ...(await keysOf('contacts'))]) : null,
    company: (await hasAny('companies')) ? new Set([...companyFields, ...(await keysOf('companies'))]) : null,
  };
}
