import { sql } from 'kysely';
import type { Db } from './open-database.ts';

/**
 * Plans the rest of the transaction as if its pages were in memory (`random_page_cost` 1.1
 * instead of PostgreSQL's default 4, which assumes spinning disks). The ingest and scoring
 * transactions look up a few dozen identities by index among thousands of rows; at the
 * default, the planner reads whole tables instead (contacts, anonymous ids, companies),
 * which cost a sixth of the database's time in the ingestion benchmark. `set local` lasts
 * for this transaction only, so it works through a pooler in transaction mode and leaves a
 * server's own tuning alone everywhere else.
 */
export async function planForCachedData(trx: Db): Promise<void> {
  await sql`set local random_page_cost = 1.1`.execute(trx);
}
