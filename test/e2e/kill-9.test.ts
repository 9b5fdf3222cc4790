import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, START_FLAGS } from '../../bench/bench-server.ts';
import { openDatabase } from '../../src/server/db/open-database.ts';
import { createThrowawayDatabase } from '../../src/server/db/throwaway-database.ts';
import { bootstrapWorkspace } from '../../src/server/workspaces/bootstrap-workspace.ts';

const root = new URL('../../', import.meta.url).pathname;
const serverUrl = process.env.TEST_DATABASE_URL;
const dir = mkdtempSync(join(tmpdir(), 'ripen-kill9-'));
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});
// The server under test is the compiled one `npm start` runs (dist/ripen.mjs), built here.
beforeAll(() => {
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
});

/** The database the server processes share: a throwaway PostgreSQL database, or a PGlite folder. */
async function prepareDatabase(): Promise<{ env: Record<string, string>; writeKey: () => string }> {
  if (!serverUrl) {
    return {
      env: { RIPEN_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' },
      writeKey: () =>
        (JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')) as { writeKey: string }).writeKey,
    };
  }
  const throwaway = await createThrowawayDatabase(serverUrl, 'ripen_kill9');
  cleanups.push(throwaway.drop);
  const database = await openDatabase({ kind: 'postgres', url: throwaway.url });
  const { writeKey } = await bootstrapWorkspace(database.db);
  await database.close();
  return { env: { DATABASE_URL: throwaway.url }, writeKey: () => String(writeKey) };
}

async function startServer(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; exited: Promise<unknown> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...START_FLAGS, join(root, 'dist/ripen.mjs'), 'serve'], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'error' },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const up = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { child, url, exited };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not start');
}

function batchOf(round: number, size: number) {
  return Array.from({ length: size }, (_, i) => ({
    type: 'track',
    userId: `k9-${(round * size + i) % 37}`,
    messageId: `k9-${round}-${i}`,
    event: 'Email Opened',
  }));
}

describe('kill -9 during ingestion', () => {
  it('keeps every acknowledged event, and a retry of everything stores each event exactly once', async () => {
    const database = await prepareDatabase();
    const first = await startServer(database.env);
    const auth = `Basic ${Buffer.from(`${database.writeKey()}:`).toString('base64')}`;
    const send = (url: string, round: number) =>
      fetch(`${url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ batch: batchOf(round, 20) }),
      });

    const acknowledged: string[] = [];
    let killed = false;
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let round = worker; round < 200; round += 8) {
          if (killed) return;
          const response = await send(first.url, round).catch(() => null);
          if (response?.ok) {
            acknowledged.push(...batchOf(round, 20).map((message) => message.messageId));
            if (acknowledged.length >= 600 && !killed) {
              killed = true;
              first.child.kill('SIGKILL');
            }
          }
        }
      }),
    );
    expect(killed).toBe(true);
    await first.exited;

    const second = await startServer(database.env);
    try {
      // Clients retry what was not acknowledged (and some of what was): nothing may double.
      for (let round = 0; round < 200; round++) expect((await send(second.url, round)).ok).toBe(true);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    const check = serverUrl
      ? await openDatabase({ kind: 'postgres', url: database.env.DATABASE_URL! })
      : await openDatabase({ kind: 'pglite', dataDir: database.env.RIPEN_DATA_DIR! });
    try {
      const rows = await check.db
        .selectFrom('events')
        .select('message_id')
        .where('message_id', 'like', 'k9-%')
        .execute();
      const ids = rows.map((row) => row.message_id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(200 * 20);
      const stored = new Set(ids);
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await check.close();
    }
  }, 120_000);
});
