import { sql } from 'kysely';
import { toCenti } from '../../core/scoring/points.ts';
import type { Db } from '../db/open-database.ts';
import { decodeCursor, toPage } from '../http/cursor.ts';
import { CONTACT_COLUMNS, type ContactView, toContactView } from './contact-view.ts';

/** The orders the list offers, each highest first, ties broken by id. */
export const CONTACT_SORTS = {
  score: 'score',
  fit: 'fit',
  engagement: 'engagement',
  predicted: 'predicted',
  updated: 'updated_at',
  created: 'created_at',
} as const;

/**
 * The predicted probability sorts as `coalesce(predicted, -1)` (migration 0016's index):
 * contacts without one come last, and the keyset compares plain numbers.
 */
const PREDICTED_KEY = sql<number>`coalesce(predicted, -1)`;
export type ContactSort = keyof typeof CONTACT_SORTS;

export interface ContactFilters {
  sort?: ContactSort;
  companyId?: string;
  stage?: string;
  grade?: string;
  temperature?: string;
  owner?: string;
  q?: string;
  minScore?: number;
  cursor?: string;
  limit?: number;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * A text search: `search_text` (email, names, job title and user id joined by spaces and
 * lower-cased, as migration 0012 stores and indexes it with trigrams) contains the term, which
 * the database lower-cases the same way. A term matches when a column contains it, and a name
 * typed in full ("Anna Patel") matches too.
 */
function searchText(q: string) {
  return sql<boolean>`search_text like lower(${`%${escapeLike(q.trim())}%`})`;
}

/** The list's filters as a query (grade and temperature left out when counting the matrix). */
function filtered(db: Db, workspaceId: string, filters: ContactFilters, withCell = true) {
  let query = db.selectFrom('contacts').where('workspace_id', '=', workspaceId);
  if (filters.stage) query = query.where('stage', '=', filters.stage);
  if (withCell && filters.grade) query = query.where('grade', '=', filters.grade.toUpperCase());
  if (withCell && filters.temperature) query = query.where('temperature', '=', filters.temperature.toLowerCase());
  if (filters.owner) query = query.where('owner', '=', filters.owner);
  if (filters.companyId) query = query.where('company_id', '=', filters.companyId);
  if (filters.minScore !== undefined) query = query.where('score', '>=', toCenti(filters.minScore));
  if (filters.q) query = query.where(searchText(filters.q));
  return query;
}

/** Lists contacts, highest first by the chosen sort (default: combined score), with keyset pagination. */
export async function listContacts(
  db: Db,
  workspaceId: string,
  filters: ContactFilters,
): Promise<{ items: ContactView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), 500);
  const column = CONTACT_SORTS[filters.sort ?? 'score'];
  const isTime = column === 'updated_at' || column === 'created_at';
  const key = column === 'predicted' ? PREDICTED_KEY : sql.ref<number>(column);
  let query = filtered(db, workspaceId, filters).select(CONTACT_COLUMNS);
  if (filters.cursor) {
    const [value, id] = decodeCursor(filters.cursor, 2);
    const valid = typeof id === 'string' && (isTime ? typeof value === 'string' : typeof value === 'number');
    if (!valid) decodeCursor('', 2);
    const after = isTime ? new Date(String(value)) : Number(value);
    if (isTime && Number.isNaN((after as Date).getTime())) decodeCursor('', 2);
    query = query.where((eb) =>
      eb.or([eb(key, '<', after as number), eb.and([eb(key, '=', after as number), eb('id', '>', String(id))])]),
    );
  }
  const rows = await query
    .orderBy(key, 'desc')
    .orderBy('id', 'asc')
    .limit(limit + 1)
    .execute();
  return toPage(
    rows,
    limit,
    (row) => [
      isTime ? (row[column] as Date).toISOString() : column === 'predicted' ? (row.predicted ?? -1) : row[column],
      row.id,
    ],
    toContactView,
  );
}

/** How many contacts the list's filters find in each grade × temperature cell. */
export async function countByCell(
  db: Db,
  workspaceId: string,
  filters: ContactFilters,
): Promise<Array<{ grade: string; temperature: string; count: number }>> {
  const rows = await filtered(db, workspaceId, filters, false)
    .select(['grade', 'temperature', (eb) => eb.fn.countAll<string | number>().as('count')])
    .groupBy(['grade', 'temperature'])
    .execute();
  return rows.map((row) => ({ grade: row.grade, temperature: row.temperature, count: Number(row.count) }));
}

/** One contact as the API shows it, or null when the workspace has none with this id. */
export async function getContact(db: Db, workspaceId: string, contactId: string): Promise<ContactView | null> {
  const row = await db
    .selectFrom('contacts')
    .select(CONTACT_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .executeTakeFirst();
  return row ? toContactView(row) : null;
}

/** The id and stage of the contact with this email (case-insensitive), or null. */
export async function findContactByEmail(
  db: Db,
  workspaceId: string,
  email: string,
): Promise<{ id: string; stage: string } | null> {
  const wanted = email.trim().toLowerCase();
  const row = await db
    .selectFrom('contacts')
    .select(['id', 'stage'])
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', wanted)
    .executeTakeFirst();
  if (row) return row;
  // The email of a contact merged into another names that one (contacts/merge-contacts.ts).
  const aliased = await db
    .selectFrom('contact_aliases as a')
    .innerJoin('contacts as c', (join) =>
      join.onRef('c.workspace_id', '=', 'a.workspace_id').onRef('c.id', '=', 'a.contact_id'),
    )
    .select(['c.id', 'c.stage'])
    .where('a.workspace_id', '=', workspaceId)
    .where('a.kind', '=', 'email')
    .where('a.value', '=', wanted)
    .executeTakeFirst();
  return aliased ?? null;
}

/** Whether the workspace has no contacts yet (`serve --demo` fills only an empty one). */
export async function hasNoContacts(db: Db, workspaceId: string): Promise<boolean> {
  const row = await db
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .limit(1)
    .executeTakeFirst();
  return row === undefined;
}
