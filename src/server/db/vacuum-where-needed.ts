import { sql } from 'kysely';
import type { Db } from './open-database.ts';

/** Dead rows a table may hold before it is vacuumed: this many plus a fifth of its live rows. */
const DEAD_ROWS_BASE = 1000;
const DEAD_ROWS_SCALE = 0.2;

/**
 * Vacuums the tables whose dead rows passed the threshold, one after another, and returns
 * their names. PGlite runs no autovacuum daemon: without this, every rescored contact,
 * claimed queue row and updated hand-off leaves a dead row whose space is never offered
 * again, and the tables and their indexes keep growing. Reads the counts PostgreSQL keeps
 * in `pg_stat_user_tables` (PGlite starts them from zero on every open, so dead rows from
 * before a restart wait for the next vacuum of their table).
 */
export async function vacuumWhereNeeded(db: Db): Promise<string[]> {
  const result = await sql<{ relname: string }>`
    select relname from pg_stat_user_tables
    where schemaname = 'public'
      and n_dead_tup >= ${DEAD_ROWS_BASE}::integer + ${DEAD_ROWS_SCALE}::float8 * n_live_tup
    order by n_dead_tup desc`.execute(db);
  const names = result.rows.map((row) => row.relname);
  for (const name of names) await sql`vacuum ${sql.table(name)}`.execute(db);
  return names;
}
