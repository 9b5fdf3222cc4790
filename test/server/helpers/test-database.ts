import { afterAll, beforeAll } from 'vitest';
import { type Database, openDatabase } from '../../../src/server/db/open-database.ts';
import { createThrowawayDatabase } from '../../../src/server/db/throwaway-database.ts';

/**
 * A real database for one test file: in-memory PGlite by default, or a throwaway database
 * on the PostgreSQL server named by TEST_DATABASE_URL (CI runs the suite both ways).
 */
export async function openTestDatabase(): Promise<Database & { dispose(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    return { ...database, dispose: () => database.close() };
  }
  const throwaway = await createThrowawayDatabase(serverUrl, 'ripen_test');
  const database = await openDatabase({ kind: 'postgres', url: throwaway.url, poolSize: 8 });
  return {
    ...database,
    async dispose() {
      await database.close();
      await throwaway.drop();
    },
  };
}

export type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;

/** Opens a test database before the file's tests and disposes of it after them; call the getter inside tests. */
export function useTestDatabase(): () => TestDatabase {
  let database: TestDatabase | null = null;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database?.dispose();
  });
  return () => {
    if (database === null) throw new Error('the test database opens in beforeAll: use it inside a test');
    return database;
  };
}

/**
 * How the race tests' transactions run, for their names: they overlap only on PostgreSQL (CI
 * runs the whole suite there as well); PGlite's one connection runs them one after another, so
 * there the same invariants are checked without the race.
 */
export const CONCURRENCY = process.env.TEST_DATABASE_URL
  ? 'racing on PostgreSQL'
  : 'in turn on PGlite (they race on PostgreSQL: TEST_DATABASE_URL, as CI runs them)';
