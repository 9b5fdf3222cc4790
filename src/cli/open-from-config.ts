import type { PlaybookStore } from '../core/playbook/playbook-store.ts';
import type { Config } from '../server/config.ts';
import { createAutoAnalyze } from '../server/db/auto-analyze.ts';
import { type Database, openDatabase } from '../server/db/open-database.ts';
import { createDirectIngest } from '../server/events/ingest-batcher.ts';
import type { ReceiveDeps } from '../server/events/receive-messages.ts';
import { createPlaybookStore } from '../server/playbooks/playbook-store.ts';
import { createFreshEvents } from '../server/scoring/fresh-events.ts';
import { createScoringWorker, type ScoringWorker } from '../server/scoring/scoring-worker.ts';

/** PostgreSQL when DATABASE_URL is set, else embedded PGlite in the data folder. */
export function openConfiguredDatabase(
  config: Config,
  options: {
    onIdleError?: (error: Error) => void;
    /** False for a load that can be run again (see `durableCommits` in open-database.ts). */
    durableCommits?: boolean;
  } = {},
): Promise<Database> {
  return openDatabase(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl, preparedStatements: config.preparedStatements, ...options }
      : { kind: 'pglite', dataDir: config.dataDir },
  );
}

export function describeDatabase(config: Config): string {
  return config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
}

/**
 * What CLI commands that write events need: direct ingestion, with statistics kept up on
 * PGlite, and a scoring worker working the queue alongside; `drain` it before exiting.
 */
export function cliIngestDeps(
  database: Database,
  playbooks: PlaybookStore = createPlaybookStore(database.db),
  clock: () => number = Date.now,
): ReceiveDeps & { scoring: ScoringWorker } {
  const analyze = createAutoAnalyze(database.db, database.kind);
  const fresh = createFreshEvents();
  const scoring = createScoringWorker({ db: database.db, playbooks, clock, fresh });
  return {
    db: database.db,
    playbooks,
    clock,
    scoring,
    ingest: createDirectIngest(database.db, (rows, stored) => {
      analyze(rows);
      fresh.put(stored);
      scoring.kick();
    }),
  };
}
