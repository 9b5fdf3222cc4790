import { sql } from 'kysely';
import type { Db } from '../../../src/server/db/open-database.ts';

/** Every row of every table whose text holds `needle` (case-insensitive), as `table: row text`. */
export async function rowsMentioning(db: Db, needle: string): Promise<string[]> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const found: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ text: string }>`
      select r::text as text from ${sql.table(table_name)} as r
      where strpos(lower(r::text), ${needle.toLowerCase()}) > 0`.execute(db);
    for (const row of rows.rows) found.push(`${table_name}: ${row.text}`);
  }
  return found;
}
