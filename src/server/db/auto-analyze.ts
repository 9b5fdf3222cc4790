import { sql } from 'kysely';
import type { Db } from './open-database.ts';

const TABLES = sql.raw('events, contacts, anonymous_ids, companies');
const QUEUE_VACUUM_EVERY = 5000;

/**
 * PGlite runs no autovacuum daemon, so its planner never learns table sizes and falls back
 * to scans as tables grow. This mimics autovacuum's analyze threshold for the embedded
 * database: after 1,000 + 50% of the rows seen at the last analyze were written, analyze again.
 * On PostgreSQL it does nothing (autovacuum does this).
 */
export function createAutoAnalyze(db: Db, kind: 'pglite' | 'postgres'): (rowsWritten: number) => void {
  if (kind === 'postgres') return () => {};
  let sinceLast = 0;
  let sinceVacuum = 0;
  let baseline = 0;
  let running: Promise<void> | null = null;
  return (rowsWritten) => {
    sinceLast += rowsWritten;
    sinceVacuum += rowsWritten;
    if (running === null && sinceVacuum >= QUEUE_VACUUM_EVERY) {
      // The score queue is written and deleted once per event: without vacuum its dead rows
      // pile up and every claim scans past them.
      sinceVacuum = 0;
      running = sql`vacuum score_queue`
        .execute(db)
        .then(() => undefined)
        .catch(() => undefined)
        .finally(() => {
          running = null;
        });
      return;
    }
    if (running !== null || sinceLast < 1000 + 0.5 * baseline) return;
    const written = sinceLast;
    sinceLast = 0;
    running = sql`analyze ${TABLES}`
      .execute(db)
      .then(() => {
        baseline += written;
      })
      .catch(() => {
        // Statistics are an optimisation; the next threshold tries again.
        sinceLast += written;
      })
      .finally(() => {
        running = null;
      });
  };
}
