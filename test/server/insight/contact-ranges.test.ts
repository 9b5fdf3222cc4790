import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { bootstrapWorkspace } from '../../../src/server/bootstrap-workspace.ts';
import { contactRanges, inRange } from '../../../src/server/insight/lead-facts.ts';
import { runReport } from '../../../src/server/insight/run-report.ts';
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

describe('a report counted in slices', () => {
  it('takes the percentiles over the stays of every slice together', async () => {
    // Ids in both halves of the id space: on PostgreSQL the report runs as two slices (one on PGlite).
    const { db } = database();
    const { workspaceId } = await bootstrapWorkspace(db);
    const day = 86_400_000;
    const start = Date.UTC(2026, 0, 1);
    const stays = [
      ['10000000-0000-4000-8000-000000000001', 1],
      ['20000000-0000-4000-8000-000000000002', 2],
      ['90000000-0000-4000-8000-000000000003', 4],
      ['a0000000-0000-4000-8000-000000000004', 10],
    ] as const;
    for (const [id, days] of stays) {
      await db
        .insertInto('contacts')
        .values({ id, workspace_id: workspaceId, stage: 'sal', properties: '{}', stage_entered_at: '{}' })
        .execute();
      await db
        .insertInto('stage_history')
        .values(
          [
            ['lead', 'mql', start],
            ['mql', 'sal', start + days * day],
          ].map(([from, to, at]) => ({
            workspace_id: workspaceId,
            contact_id: id,
            from_stage: String(from),
            to_stage: String(to),
            at: new Date(Number(at)),
            actor: 'test',
            transition: 'test',
          })),
        )
        .execute();
    }
    const report = await runReport(db, workspaceId, 'time-in-stage', {
      from: start,
      to: start + 30 * day,
      by: null,
      now: start + 30 * day,
    });
    const mql = report.stages.find((row) => row.stage === 'mql');
    // 1, 2, 4 and 10 days: the median is 3 days, the p90 8.2 days, whichever slice each lead is in.
    expect(mql).toMatchObject({ stays: 4, leads: { count: 4 }, medianSeconds: 3 * 86_400 });
    expect(mql?.p90Seconds).toBeCloseTo(8.2 * 86_400, 3);
  });
});
