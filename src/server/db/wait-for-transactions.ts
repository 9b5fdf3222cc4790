import { sql } from 'kysely';
import type { Db } from './open-database.ts';

/** How long a caller waits for writes that began before its commit; longer is not a write in flight. */
const IN_FLIGHT_WAIT_MS = 10_000;

/** The database's clock now (after the caller's commit, when called after it). */
export async function databaseNow(db: Db): Promise<Date> {
  const row = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(db);
  return new Date(row.rows[0]?.now ?? Date.now());
}

/**
 * Waits until no other transaction that began before `startedAt` is still open in this
 * database (bounded: a transaction stuck for longer is not an ingestion in flight). After an
 * erasure's suppressions or a merge commit, an ingestion that looked the contact up a moment
 * earlier may still write to it; once this returns, every such write is committed and visible.
 */
export async function waitForTransactionsBefore(db: Db, startedAt: Date): Promise<void> {
  const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
  while (Date.now() < deadline) {
    const open = await sql<{ count: string | number }>`
      select count(*) as count from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and xact_start < ${startedAt.toISOString()}::timestamptz`.execute(
      db,
    );
    if (Number(open.rows[0]?.count ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
