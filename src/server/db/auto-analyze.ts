import { sql } from 'kysely';
import type { Db } from './open-database.ts';
import { vacuumWhereNeeded } from './vacuum-where-needed.ts';

// Only the columns the ingestion look-ups filter and join on: statistics on the JSON columns
// (event properties, contact engagement states) meant reading and parsing every sampled
// document, most of the analyze's cost, and no plan depends on them. Table sizes are
// updated whatever the column list.
const TABLES = sql.raw(`events (workspace_id, message_id, contact_id, anonymous_id),
  contacts (workspace_id, id, email, user_id, company_id, stage, score),
  anonymous_ids (workspace_id, anonymous_id, contact_id),
  companies (workspace_id, id, domain, group_id)`);
const VACUUM_CHECK_EVERY = 5000;

/**
 * Keeps planner statistics current while tables grow fast. PGlite runs no autovacuum daemon,
 * so its planner never learns table sizes; PostgreSQL's autovacuum looks once a minute, and
 * a fresh database filling at thousands of events a second is planned as empty until then:
 * message-id look-ups scan the workspace's whole events table and slow down quadratically.
 * After 1,000 + as many rows as were seen at the last analyze were written, analyze again
 * (the thresholds double, so a long-running process analyzes a handful of times).
 * On PGlite it also vacuums the tables that need it (`vacuumWhereNeeded`); PostgreSQL's
 * autovacuum does that there.
 */
export function createAutoAnalyze(db: Db, kind: 'pglite' | 'postgres'): (rowsWritten: number) => void {
  let sinceLast = 0;
  let sinceVacuum = 0;
  let baseline = 0;
  let running: Promise<void> | null = null;
  return (rowsWritten) => {
    sinceLast += rowsWritten;
    sinceVacuum += rowsWritten;
    if (kind === 'pglite' && running === null && sinceVacuum >= VACUUM_CHECK_EVERY) {
      // The score queue is written and deleted once per event, and scoring rewrites contacts:
      // without vacuum their dead rows pile up and every claim scans past them.
      sinceVacuum = 0;
      running = vacuumWhereNeeded(db)
        .then(() => undefined)
        .catch(() => undefined)
        .finally(() => {
          running = null;
        });
      return;
    }
    if (running !== null || sinceLast < 1000 + baseline) return;
    const written = sinceLast;
    sinceLast = 0;
    running = db
      .transaction()
      .execute(async (trx) => {
        // A 3,000-row sample instead of 30,000: these statistics only need table sizes and
        // rough distinct counts to choose index look-ups, and analyzing the contacts' JSON
        // states at full size cost PGlite more than a second per 60,000 events.
        await sql`set local default_statistics_target = 10`.execute(trx);
        await sql`analyze ${TABLES}`.execute(trx);
      })
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
