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
