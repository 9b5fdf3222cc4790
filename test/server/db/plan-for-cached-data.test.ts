import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planForCachedData } from '../../../src/server/db/plan-for-cached-data.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;
let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.dispose();
});

describe('planning the hot transactions for data in memory', () => {
  it('lowers the random page cost for the transaction only, leaving the pooled session as it was', async () => {
    const cost = async (db: typeof database.db) =>
      (await sql<{ random_page_cost: string }>`show random_page_cost`.execute(db)).rows[0]?.random_page_cost;
    await database.db.connection().execute(async (connection) => {
      const before = await cost(connection);
      const inside = await connection.transaction().execute(async (trx) => {
        await planForCachedData(trx);
        return cost(trx);
      });
      expect(inside).toBe('1.1');
      expect(await cost(connection)).toBe(before);
    });
  });
});
