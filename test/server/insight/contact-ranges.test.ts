import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { contactRanges, inRange } from '../../../src/server/insight/lead-facts.ts';
import { useTestDatabase } from '../helpers/test-database.ts';

const database = useTestDatabase();

describe('slices of the contacts', () => {
  it('are contiguous, ordered and open at both ends', () => {
    expect(contactRanges(1)).toEqual([{ from: null, to: null }]);
    const three = contactRanges(3);
    expect(three).toEqual([
      { from: null, to: '55555555-0000-0000-0000-000000000000' },
      { from: '55555555-0000-0000-0000-000000000000', to: 'aaaaaaaa-0000-0000-0000-000000000000' },
      { from: 'aaaaaaaa-0000-0000-0000-000000000000', to: null },
    ]);
  });

  it('put every contact id in exactly one slice, as the database compares ids', async () => {
    const ids = [
      ...Array.from({ length: 300 }, () => randomUUID()),
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      '55555555-0000-0000-0000-000000000000',
      '55555554-ffff-ffff-ffff-ffffffffffff',
    ];
    for (const parts of [2, 3, 8]) {
      for (const read of ['index', 'scan'] as const) {
        const counted = new Map<string, number>();
        for (const range of contactRanges(parts)) {
          const result = await sql<{ id: string }>`
            select id from unnest(${ids}::uuid[]) as ids(id) where true ${inRange(sql`id`, range, read)}`.execute(
            database().db,
          );
          for (const row of result.rows) counted.set(row.id, (counted.get(row.id) ?? 0) + 1);
        }
        expect(ids.filter((id) => counted.get(id) !== 1)).toEqual([]);
      }
    }
  });
});
