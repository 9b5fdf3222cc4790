import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runsOneTransactionAtATime } from '../../../src/server/db/open-database.ts';
import { useTestDatabase } from '../helpers/test-database.ts';

// Ingestion skips identity locks where runsOneTransactionAtATime holds (look-up-and-lock-identities.ts).
const database = useTestDatabase();

describe('one transaction at a time', () => {
  it('holds for embedded PGlite only', () => {
    expect(runsOneTransactionAtATime(database().db)).toBe(database().kind === 'pglite');
  });

  it('where it holds, a statement from outside waits until an open transaction commits', async () => {
    const { db, kind } = database();
    await sql`create table one_at_a_time (n int not null)`.execute(db);
    try {
      const order: string[] = [];
      let outside: Promise<unknown> = Promise.resolve();
      await db.transaction().execute(async (trx) => {
        await sql`insert into one_at_a_time values (1)`.execute(trx);
        outside = sql<{ n: number }>`select count(*)::int as n from one_at_a_time`
          .execute(db)
          .then((result) => order.push(`outside saw ${result.rows[0]?.n}`));
        // PostgreSQL answers on another connection at once; PGlite cannot before the commit,
        // however long it is given.
        if (kind === 'postgres') await outside;
        else await new Promise((resolve) => setTimeout(resolve, 50));
        await sql`insert into one_at_a_time values (2)`.execute(trx);
        order.push('committing');
      });
      await outside;
      // PGlite: the outside statement ran after the commit and saw both rows. PostgreSQL: it ran
      // on another connection meanwhile and saw none of the uncommitted rows.
      expect(order).toEqual(kind === 'pglite' ? ['committing', 'outside saw 2'] : ['outside saw 0', 'committing']);
    } finally {
      await sql`drop table one_at_a_time`.execute(db);
    }
  });
});
