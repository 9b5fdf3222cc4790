import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.ts';
import { vacuumWhereNeeded } from '../../../src/server/db/vacuum-where-needed.ts';
import { useTestDatabase } from '../helpers/test-database.ts';
import { waitFor } from '../helpers/wait-for.ts';

const database = useTestDatabase();

async function tableStats(table: string): Promise<{ dead: number; vacuums: number }> {
  const result = await sql<{ dead: string; vacuums: string }>`
    select n_dead_tup as dead, vacuum_count as vacuums from pg_stat_user_tables where relname = ${table}`.execute(
    database().db,
  );
  const row = result.rows[0];
  return { dead: Number(row?.dead ?? 0), vacuums: Number(row?.vacuums ?? 0) };
}

/** Inserts `count` events in a new workspace and rewrites each once: `count` dead rows. */
async function writeEventsTwice(count: number): Promise<void> {
  const workspaceId = randomUUID();
  await sql`insert into events (workspace_id, message_id, type, properties, occurred_at, received_at)
    select ${workspaceId}::uuid, 'm' || n, 'track', '{}'::jsonb, now(), now()
    from generate_series(1, ${count}::integer) as n`.execute(database().db);
  await sql`update events set name = 'rewritten' where workspace_id = ${workspaceId}`.execute(database().db);
}

describe('vacuuming where dead rows piled up (PGlite has no autovacuum)', () => {
  it('vacuums a table once its dead rows pass 1,000 + a fifth of its live rows, and leaves the others alone', async () => {
    const db = database().db;
    // 2,000 live rows: the threshold is 1,400 dead ones. One rewrite leaves 2,000.
    await writeEventsTwice(2000);

    // The server publishes its counts a moment after the writing transaction ends.
    const vacuumed = await waitFor(
      () => vacuumWhereNeeded(db),
      (names) => names.includes('events'),
    );
    expect(vacuumed).toContain('events');
    expect(vacuumed).not.toContain('contacts');
    const after = await tableStats('events');
    expect(after.vacuums).toBeGreaterThanOrEqual(1);
    expect(after.dead).toBe(0);
    // Nothing left to do: a second call vacuums nothing.
    expect(await vacuumWhereNeeded(db)).not.toContain('events');
  });

  it('does not vacuum a table below the threshold', async () => {
    const db = database().db;
    await writeEventsTwice(500);
    // Counted (so the check below is not vacuous), but 500 is under 1,000 + 2,500 / 5.
    const before = await waitFor(
      () => tableStats('events'),
      (stats) => stats.dead >= 500,
    );
    expect(before.dead).toBeGreaterThanOrEqual(500);
    expect(await vacuumWhereNeeded(db)).not.toContain('events');
    expect((await tableStats('events')).vacuums).toBe(before.vacuums);
  });

  it("is what the app's maintenance loop runs on PGlite, and only there (PostgreSQL has autovacuum)", async () => {
    const { db, kind } = database();
    const workspaceId = randomUUID();
    await sql`insert into workspaces (id, name) values (${workspaceId}, 'Vacuum test')`.execute(db);
    await sql`insert into companies (workspace_id, id, domain, name)
      select ${workspaceId}::uuid, gen_random_uuid(), 'vac' || n || '.example', 'Company ' || n
      from generate_series(1, 1500) as n`.execute(db);
    await sql`update companies set name = name || ' (renamed)' where workspace_id = ${workspaceId}`.execute(db);
    // The server publishes its counts a moment after the writing transaction ends.
    const before = await waitFor(
      () => tableStats('companies'),
      (stats) => stats.dead >= 1500,
    );
    expect(before.dead).toBeGreaterThanOrEqual(1500);

    const built = await buildApp({ db, dbKind: kind });
    try {
      await built.maintenance.drain();
    } finally {
      await built.app.close();
    }
    const after = await tableStats('companies');
    if (kind === 'pglite') {
      expect(after.vacuums).toBe(before.vacuums + 1);
      expect(after.dead).toBe(0);
    } else {
      expect(after.vacuums).toBe(before.vacuums);
    }
  });
});
