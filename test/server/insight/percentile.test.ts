import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { percentileCont } from '../../../src/core/insight/percentile.ts';
import { useTestDatabase } from '../helpers/test-database.ts';

const database = useTestDatabase();

describe('percentileCont against the database', () => {
  it("gives PostgreSQL's percentile_cont, from the values as the database sends them", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: -1e7, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom(0.1, 0.5, 0.9, 0.25, 0.999),
        async (values, fraction) => {
          const result = await sql<{ sorted: number[]; expected: number }>`
            select array_agg(v order by v) as sorted,
              percentile_cont(${fraction}::float8) within group (order by v) as expected
            from unnest(${values}::float8[]) as t(v)`.execute(database().db);
          const row = result.rows[0];
          expect(row).toBeDefined();
          expect(percentileCont(row?.sorted.map(Number) ?? [], fraction)).toBe(Number(row?.expected));
        },
      ),
      { numRuns: 60 },
    );
  });
});
