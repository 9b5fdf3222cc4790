import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, START_FLAGS } from '../../bench/bench-server.ts';
import { applyEngagementEvents, emptyEngagementState } from '../../src/core/scoring/engagement-state.ts';
import { bootstrapWorkspace } from '../../src/server/bootstrap-workspace.ts';
import { openDatabase } from '../../src/server/db/open-database.ts';
import { createThrowawayDatabase } from '../../src/server/db/throwaway-database.ts';
import { createPlaybookStore } from '../../src/server/playbooks/playbook-store.ts';
import { loadContactEvents } from '../../src/server/scoring/load-scoring-rows.ts';

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
async function prepareDatabase(): Promise<{
  env: Record<string, string>;
  keys: () => { writeKey: string; secretKey: string };
}> {
  if (!serverUrl) {
    return {
      env: { RIPEN_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' },
      keys: () =>
        JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')) as { writeKey: string; secretKey: string },
    };
  }
  const throwaway = await createThrowawayDatabase(serverUrl, 'ripen_kill9');
  cleanups.push(throwaway.drop);
  const database = await openDatabase({ kind: 'postgres', url: throwaway.url });
  const { writeKey, secretKey } = await bootstrapWorkspace(database.db);
  await database.close();
  return {
    env: { DATABASE_URL: throwaway.url },
    keys: () => ({ writeKey: String(writeKey), secretKey: String(secretKey) }),
  };
}

/** Waits until the server has scored everything queued (its score queue is empty). */
async function waitForScoring(url: string, secretKey: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const response = await fetch(`${url}/api/queues`, { headers: { authorization: `Bearer ${secretKey}` } });
    const body = (await response.json()) as { scoreQueue: { pending: number } };
    if (body.scoreQueue.pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the score queue did not drain in 60 s');
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

const EVENTS = ['Email Opened', 'Pricing Viewed', 'Webinar Attended', 'Email Clicked', 'Content Downloaded'];
const ROUNDS = 300;
const PER_ROUND = 20;

/** Round `round`'s messages: unique ids, 37 people, varied events and an identify now and then. */
function batchOf(round: number) {
  return Array.from({ length: PER_ROUND }, (_, i) => {
    const n = round * PER_ROUND + i;
    const userId = `k9-${n % 37}`;
    return n % 11 === 0
      ? {
          type: 'identify',
          userId,
          messageId: `k9-${round}-${i}`,
          traits: { email: `${userId}@k9-example.com`, title: 'VP Marketing' },
        }
      : { type: 'track', userId, messageId: `k9-${round}-${i}`, event: EVENTS[n % EVENTS.length] };
  });
}

describe('kill -9 during ingestion', () => {
  it('after ten kills at random moments, keeps every acknowledged event once, and every score equals a full recomputation', async () => {
    const database = await prepareDatabase();
    const auth = () => `Basic ${Buffer.from(`${database.keys().writeKey}:`).toString('base64')}`;
    const send = (url: string, round: number) =>
      fetch(`${url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ batch: batchOf(round) }),
      });

    const acknowledged = new Set<number>();
    let next = 0;
    for (let kill = 0; kill < 10; kill++) {
      const server = await startServer(database.env);
      let killed = false;
      // Killed at a random moment while eight clients send rounds it has not acknowledged yet.
      const killer = setTimeout(
        () => {
          killed = true;
          server.child.kill('SIGKILL');
        },
        50 + Math.random() * 400,
      );
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (!killed && next < ROUNDS) {
            const round = next++;
            const response = await send(server.url, round).catch(() => null);
            if (response?.ok) acknowledged.add(round);
          }
        }),
      );
      clearTimeout(killer);
      if (!killed) server.child.kill('SIGKILL');
      await server.exited;
      // Unacknowledged rounds are resent by the next server.
      next = Math.min(...[...Array(ROUNDS).keys()].filter((round) => !acknowledged.has(round)), ROUNDS);
    }
    expect(acknowledged.size).toBeGreaterThan(0);

    const last = await startServer(database.env);
    try {
      // Clients retry what was not acknowledged, and some of what was: nothing may double.
      for (let round = 0; round < ROUNDS; round++) expect((await send(last.url, round)).ok).toBe(true);
      await waitForScoring(last.url, database.keys().secretKey);
    } finally {
      last.child.kill('SIGTERM');
      await last.exited;
    }
    const check = serverUrl
      ? await openDatabase({ kind: 'postgres', url: database.env.DATABASE_URL! })
      : await openDatabase({ kind: 'pglite', dataDir: database.env.RIPEN_DATA_DIR! });
    try {
      const rows = await check.db
        .selectFrom('events')
        .select(['message_id', 'contact_id'])
        .where('message_id', 'like', 'k9-%')
        .execute();
      const ids = rows.map((row) => row.message_id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(ROUNDS * PER_ROUND);
      expect(rows.filter((row) => row.contact_id === null)).toEqual([]);
      const queued = await check.db.selectFrom('score_queue').select('contact_id').execute();
      expect(queued).toEqual([]);
      // Each contact's stored engagement state is the fold of all its stored events, each counted once.
      const workspace = await check.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
      const playbook = await createPlaybookStore(check.db).active(workspace.id);
      if (!playbook) throw new Error('no playbook');
      const contacts = await check.db
        .selectFrom('contacts as c')
        .leftJoin('contact_engagement as ce', (join) =>
          join.onRef('ce.workspace_id', '=', 'c.workspace_id').onRef('ce.contact_id', '=', 'c.id'),
        )
        .select(['c.id', 'c.workspace_id', sql<unknown>`coalesce(ce.state, '{"rules": {}}')`.as('engagement_state')])
        .execute();
      const history = await loadContactEvents(
        check.db,
        workspace.id,
        contacts.map((c) => c.id),
        0,
      );
      for (const contact of contacts) {
        const expected = applyEngagementEvents(
          playbook.document,
          emptyEngagementState(),
          history.get(contact.id) ?? [],
          Date.now(),
        );
        expect(contact.engagement_state, contact.id).toEqual(expected);
      }
      console.log(
        `kill -9: 10 kills, ${acknowledged.size} of ${ROUNDS} rounds acknowledged before the last restart, ${ids.length} events stored once, ${contacts.length} contacts' scores equal to a full recomputation`,
      );
    } finally {
      await check.close();
    }
  }, 300_000);
});
