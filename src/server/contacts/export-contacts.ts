import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { sql } from 'kysely';
import { CONTACT_PROFILE_FIELDS } from '../../core/contacts/contact-fields.ts';
import type { Db } from '../db/open-database.ts';
import type { ContactView } from './contact-view.ts';
import { type ContactFilters, listContacts } from './list-contacts.ts';

const FIELDS = [
  'id',
  'email',
  'userId',
  ...CONTACT_PROFILE_FIELDS.map((field) => field.name),
  'companyId',
  'stage',
  'owner',
  'fit',
  'engagement',
  'score',
  'grade',
  'temperature',
  'scoredAt',
] as const satisfies ReadonlyArray<keyof ContactView>;

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or carriage return
 * first) gets a leading `'`: contact data is typed by strangers, and a CSV opened in a
 * spreadsheet must not execute it. Numbers are written as they are.
 */
export function neutralizeFormula(value: unknown): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * Writes a workspace's contacts as CSV to `out`, highest score first, page by page (a cursor
 * over the list query, so 100,000 contacts never sit in memory at once): the contact fields,
 * stage, owner, scores, grade and temperature, then one column per property key in use.
 * Returns how many contacts were written.
 */
export async function exportContacts(
  db: Db,
  workspaceId: string,
  filters: Omit<ContactFilters, 'cursor' | 'limit'>,
  out: Writable,
  pageSize = 500,
): Promise<number> {
  const keys = await sql<{ key: string }>`
    select distinct jsonb_object_keys(properties) as key from contacts
    where workspace_id = ${workspaceId} and jsonb_typeof(properties) = 'object'
    order by key`.execute(db);
  const propertyKeys = keys.rows.map((row) => row.key).filter((key) => !(FIELDS as readonly string[]).includes(key));
  const csv = stringify({ header: true, columns: [...FIELDS, ...propertyKeys] });
  const finished = new Promise<void>((resolve, reject) => {
    csv.on('error', reject);
    out.on('error', reject);
    csv.on('end', resolve);
  });
  csv.pipe(out, { end: false });
  let written = 0;
  let cursor: string | undefined;
  do {
    const page = await listContacts(db, workspaceId, { ...filters, cursor, limit: pageSize });
    for (const contact of page.items) {
      const row: Record<string, string | number> = {};
      for (const field of FIELDS) row[field] = neutralizeFormula(contact[field]);
      for (const key of propertyKeys) row[key] = neutralizeFormula(contact.properties[key]);
      if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
      written++;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  csv.end();
  await finished;
  return written;
}
