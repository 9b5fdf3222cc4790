import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { combineWrites } from '../../../src/server/db/bulk.ts';
import { useTestDatabase } from '../helpers/test-database.ts';

const database = useTestDatabase();

describe('independent writes in one statement', () => {
  it('runs every write it is given once, leaves out the empty ones, and gives nothing for none', async () => {
    const { db } = database();
    await sql`create table combined_writes (n integer not null, tag text not null)`.execute(db);
    const write = (n: number) => sql`insert into combined_writes (n, tag) values (${n}, ${`write ${n}`})`;
    await combineWrites([write(1), null, write(2), write(3), null])?.execute(db);
    await combineWrites([null, write(4)])?.execute(db);
    expect(combineWrites([null, null])).toBeNull();
    const rows = await sql<{ n: number; tag: string }>`select n, tag from combined_writes order by n`.execute(db);
    expect(rows.rows).toEqual([1, 2, 3, 4].map((n) => ({ n, tag: `write ${n}` })));
  });

  it('stores nothing of any write when one of them fails', async () => {
    const { db } = database();
    await sql`create table combined_failures (n integer primary key)`.execute(db);
    await sql`insert into combined_failures values (1)`.execute(db);
    const failing = combineWrites([
      sql`insert into combined_failures values (2)`,
      sql`insert into combined_failures values (1)`,
    ]);
    await expect(failing?.execute(db)).rejects.toThrow(/duplicate key/);
    const rows = await sql<{ n: number }>`select n from combined_failures order by n`.execute(db);
    expect(rows.rows).toEqual([{ n: 1 }]);
  });
});
