import { toCenti } from '../../core/scoring/points.ts';
import type { Db } from '../db/open-database.ts';
import { decodeCursor, toPage } from '../http/cursor.ts';
import { CONTACT_COLUMNS, type ContactView, toContactView } from './contact-view.ts';

export interface ContactFilters {
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

/** Lists contacts, highest combined score first, with keyset pagination (score, id). */
export async function listContacts(
  db: Db,
  workspaceId: string,
  filters: ContactFilters,
): Promise<{ items: ContactView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), 500);
  let query = db.selectFrom('contacts').select(CONTACT_COLUMNS).where('workspace_id', '=', workspaceId);
  if (filters.stage) query = query.where('stage', '=', filters.stage);
  if (filters.grade) query = query.where('grade', '=', filters.grade.toUpperCase());
  if (filters.temperature) query = query.where('temperature', '=', filters.temperature.toLowerCase());
  if (filters.owner) query = query.where('owner', '=', filters.owner);
  if (filters.minScore !== undefined) query = query.where('score', '>=', toCenti(filters.minScore));
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q.trim())}%`;
    query = query.where((eb) =>
      eb.or(
        ['email', 'first_name', 'last_name', 'job_title', 'user_id'].map((column) =>
          eb(eb.ref(column as 'email'), 'ilike', pattern),
        ),
      ),
    );
  }
  if (filters.cursor) {
    const [score, id] = decodeCursor(filters.cursor, 2);
    if (typeof score !== 'number' || typeof id !== 'string') decodeCursor('', 2);
    query = query.where((eb) =>
      eb.or([eb('score', '<', Number(score)), eb.and([eb('score', '=', Number(score)), eb('id', '>', String(id))])]),
    );
  }
  const rows = await query
    .orderBy('score', 'desc')
    .orderBy('id', 'asc')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, (row) => [row.score, row.id], toContactView);
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
  const row = await db
    .selectFrom('contacts')
    .select(['id', 'stage'])
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
  return row ?? null;
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
