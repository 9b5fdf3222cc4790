import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/server/db/open-database.ts';
import { createThrowawayDatabase } from '../../../src/server/db/throwaway-database.ts';
import { useTestDatabase } from '../helpers/test-database.ts';

const database = useTestDatabase();

// Named prepared statements are a PostgreSQL driver feature; PGlite runs every query as before.
describe.skipIf(!process.env.TEST_DATABASE_URL)('prepared statements on PostgreSQL', () => {
  it('prepares a parameterised statement once per connection and reuses it with new values', async () => {
    const prepared = await database()
      .db.connection()
      .execute(async (db) => {
        for (const value of [1, 2, 3]) {
          const result = await sql<{ n: number }>`select ${value}::int + 1 as n`.execute(db);
          expect(result.rows[0]?.n).toBe(value + 1);
        }
        // Statements without parameters (DDL, begin, commit) are not prepared.
        await sql`select 42`.execute(db);
        return sql<{
          statement: string;
        }>`select statement from pg_prepared_statements where name like ${'r\\_%'}`.execute(db);
      });
    const statements = prepared.rows.map((row) => row.statement);
    expect(statements.filter((text) => text.includes('::int + 1 as n'))).toHaveLength(1);
    expect(statements.some((text) => text.includes('select 42'))).toBe(false);
  });

  it('prepares nothing when turned off (for a pooler in transaction mode)', async () => {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) return;
    const throwaway = await createThrowawayDatabase(url, 'ripen_unprepared');
    const unprepared = await openDatabase({ kind: 'postgres', url: throwaway.url, preparedStatements: false });
    try {
      const prepared = await unprepared.db.connection().execute(async (db) => {
        await sql`select ${1}::int + 1 as n`.execute(db);
        return sql<{ name: string }>`select name from pg_prepared_statements`.execute(db);
      });
      expect(prepared.rows).toEqual([]);
    } finally {
      await unprepared.close();
      await throwaway.drop();
    }
  });
});
