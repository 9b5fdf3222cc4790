import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db/open-database.ts';
import { useTestDatabase } from '../helpers/test-database.ts';

const database = useTestDatabase();

async function randomPageCost(db: Db): Promise<string | undefined> {
  return (await sql<{ random_page_cost: string }>`show random_page_cost`.execute(db)).rows[0]?.random_page_cost;
}

describe('transactions planned for data in memory', () => {
  it('plans every transaction with a random page cost of 1.1, with or without an isolation level', async () => {
    expect(
      await database()
        .db.transaction()
        .execute((trx) => randomPageCost(trx)),
    ).toBe('1.1');
    const serializable = database().db.transaction().setIsolationLevel('serializable');
    expect(await serializable.execute((trx) => randomPageCost(trx))).toBe('1.1');
  });

  it('leaves statements outside transactions to the server: only the embedded server is set for good', async () => {
    const outside = await database()
      .db.connection()
      .execute(async (connection) => {
        await connection.transaction().execute((trx) => randomPageCost(trx));
        return randomPageCost(connection);
      });
    expect(outside).toBe(database().kind === 'pglite' ? '1.1' : '4');
  });
});
