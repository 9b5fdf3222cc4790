import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createAutoAnalyze } from '../../../src/server/db/auto-analyze.ts';
import { useTestDatabase } from '../helpers/test-database.ts';
import { waitFor } from '../helpers/wait-for.ts';

const database = useTestDatabase();

async function analyzedColumns(table: string): Promise<string[]> {
  const result = await sql<{ attname: string }>`
    select attname from pg_stats where schemaname = 'public' and tablename = ${table} order by attname`.execute(
    database().db,
  );
  return result.rows.map((row) => row.attname);
}

describe('statistics kept current while tables fill', () => {
  it('analyzes the look-up columns once 1,000 rows were written, and not the JSON documents', async () => {
    const workspaceId = randomUUID();
    await sql`insert into events (workspace_id, message_id, type, properties, occurred_at, received_at)
      select ${workspaceId}::uuid, 'm' || n, 'track', jsonb_build_object('n', n), now(), now()
      from generate_series(1, 200) as n`.execute(database().db);
    const analyze = createAutoAnalyze(database().db, database().kind);

    analyze(999);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await analyzedColumns('events')).toEqual([]);

    analyze(1);
    const columns = await waitFor(
      () => analyzedColumns('events'),
      (names) => names.length > 0,
    );
    expect(columns).toEqual(['anonymous_id', 'contact_id', 'message_id', 'workspace_id']);
    const size = await sql<{ reltuples: number }>`select reltuples from pg_class where relname = 'events'`.execute(
      database().db,
    );
    expect(Number(size.rows[0]?.reltuples)).toBe(200);
  });
});
