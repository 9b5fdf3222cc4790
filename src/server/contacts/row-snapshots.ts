import { sql } from 'kysely';
import type { Db } from '../db/open-database.ts';

/** Tables whose rows a merge keeps as JSON and an undo puts back (constant names, not input). */
export type SnapshotTable = 'contacts' | 'contact_engagement' | 'stage_history' | 'handoffs' | 'contact_consents';

/** One contact's rows of a table, each as `to_jsonb` of the row: every column, by name. */
export async function rowsOf(
  trx: Db,
  table: SnapshotTable,
  workspaceId: string,
  contactId: string,
): Promise<unknown[]> {
  const result = await sql<{ rows: unknown[] }>`
    select coalesce(jsonb_agg(to_jsonb(t)), '[]'::jsonb) as rows from ${sql.table(table)} as t
    where t.workspace_id = ${workspaceId} and t.contact_id = ${contactId}`.execute(trx);
  return result.rows[0]?.rows ?? [];
}

const columnsByTable = new Map<SnapshotTable, string[]>();

/** The columns a row can be written back to: all but generated ones (identity columns keep their values). */
async function writableColumns(trx: Db, table: SnapshotTable): Promise<string[]> {
  const known = columnsByTable.get(table);
  if (known) return known;
  const result = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} and is_generated = 'NEVER'
    order by ordinal_position`.execute(trx);
  const columns = result.rows.map((row) => row.column_name);
  columnsByTable.set(table, columns);
  return columns;
}

/**
 * Writes rows taken by `rowsOf` (or a contact row taken with `to_jsonb`) back as they were,
 * ids included. Keys that are not columns are ignored; columns added since the rows were taken
 * get their defaults.
 */
export async function restoreRows(trx: Db, table: SnapshotTable, rows: readonly unknown[]): Promise<void> {
  if (rows.length === 0) return;
  const present = new Set(rows.flatMap((row) => Object.keys(row as object)));
  const columns = (await writableColumns(trx, table)).filter((column) => present.has(column));
  const list = sql.join(columns.map((column) => sql.ref(column)));
  await sql`insert into ${sql.table(table)} (${list}) overriding system value
    select ${list} from jsonb_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)`.execute(
    trx,
  );
}
