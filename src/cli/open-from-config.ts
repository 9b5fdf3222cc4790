import type { Config } from '../server/config.ts';
import { type Database, openDatabase } from '../server/db/open-database.ts';

/** PostgreSQL when DATABASE_URL is set, else embedded PGlite in the data folder. */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase(
    config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir },
  );
}

export function describeDatabase(config: Config): string {
  return config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
}
