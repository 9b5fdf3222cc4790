import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, START_FLAGS } from '../../bench/bench-server.ts';
import { bootstrapWorkspace } from '../../src/server/bootstrap-workspace.ts';
import { openDatabase } from '../../src/server/db/open-database.ts';
import { createThrowawayDatabase } from '../../src/server/db/throwaway-database.ts';
import { findPostgresBin, type PrivatePostgres, startPrivatePostgres } from './private-postgres.ts';

const root = new URL('../../', import.meta.url).pathname;
const bin = findPostgresBin();
// The PostgreSQL pass of the suite runs it, on a server of its own that it may stop and restart.
const runs = Boolean(process.env.TEST_DATABASE_URL) && bin !== null;

let postgres: PrivatePostgres | null = null;
beforeAll(() => {
  if (!runs) return;
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
});
afterAll(() => postgres?.destroy());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Server {
  child: ChildProcess;
  url: string;
  logLines: () => Array<{ level: number; msg: string }>;
}

async function startServer(databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [...START_FLAGS, join(root, 'dist/ripen.mjs'), 'serve'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output}`);
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await sleep(100);
  }
  const logLines = () =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string });
  return { child, url, logLines };
}

/** Ends every session of `database` but the caller's, as an administrator or a failover would. */
async function terminateBackends(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [database],
    );
  } finally {
    await client.end();
  }
}

function batchOf(round: number) {
  const batch: Array<Record<string, unknown>> = Array.from({ length: 20 }, (_, i) => ({
    type: 'track',
    userId: `outage-${(round * 20 + i) % 53}`,
    messageId: `out-${round}-${i}`,
    event: 'Email Opened',
  }));
  // One item in ten batches is invalid (no event name): quarantined, the rest of its batch stored.
  if (round % 10 === 0) batch.push({ type: 'track', userId: 'outage-bad', messageId: `bad-${round}` });
  return batch;
}

describe.skipIf(!runs)('PostgreSQL going away under batch load', () => {
  it('never exits, answers 503 with Retry-After meanwhile, recovers by itself and loses nothing acknowledged', async () => {
    postgres = await startPrivatePostgres(bin!);
    const throwaway = await createThrowawayDatabase(postgres.url, 'ripen_outage');
    const database = await openDatabase({ kind: 'postgres', url: throwaway.url });
    const { writeKey } = await bootstrapWorkspace(database.db);
    await database.close();
    const server = await startServer(throwaway.url);
    const databaseName = new URL(throwaway.url).pathname.slice(1);
    const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;

    const statuses = new Map<number, number>();
    let missingRetryAfter = 0;
    let sent = 0;
    let refused = 0;
    let disrupted = false;
    let nextRound = 0;
    const deadline = Date.now() + 90_000;
    async function sendUntilAnswered(round: number): Promise<void> {
      const body = JSON.stringify({ batch: batchOf(round) });
      for (;;) {
        if (Date.now() > deadline) throw new Error(`round ${round} never got an answer`);
        const response = await fetch(`${server.url}/v1/batch`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body,
        }).catch(() => null);
        if (response === null) {
          await sleep(50);
          continue;
        }
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        await response.arrayBuffer();
        if (response.ok) return;
        if (response.status >= 400 && response.status < 500 && response.status !== 429) {
          refused += batchOf(round).length;
          return;
        }
        if (!response.headers.get('retry-after')) missingRetryAfter++;
        await sleep(100);
      }
    }
    const senders = Array.from({ length: 6 }, async () => {
      // Keeps sending until the disruptions are over, and for 30 more rounds after that.
      let after = 0;
      while (after < 30 && nextRound < 5_000) {
        const round = nextRound++;
        sent += batchOf(round).length;
        await sendUntilAnswered(round);
        if (disrupted) after++;
        await sleep(5);
      }
    });
    const disruptions = (async () => {
      await sleep(500);
      for (let i = 0; i < 3; i++) {
        await terminateBackends(postgres!.url, databaseName);
        await sleep(400);
      }
      postgres!.stop('fast');
      await sleep(1_500);
      postgres!.start();
      await sleep(800);
      postgres!.stop('immediate');
      await sleep(1_500);
      postgres!.start();
      await sleep(500);
      disrupted = true;
    })();
    await Promise.all([disruptions, ...senders]);

    expect(server.child.exitCode).toBeNull();
    const check = new pg.Client({ connectionString: throwaway.url });
    await check.connect();
    try {
      const stored = Number(
        (
          await check.query(
            `select count(distinct message_id) as n, count(*) as total from events where message_id like 'out-%'`,
          )
        ).rows[0].n,
      );
      const total = Number(
        (await check.query(`select count(*) as n from events where message_id like 'out-%'`)).rows[0].n,
      );
      const quarantined = Number(
        (await check.query(`select count(*) as n from quarantine where payload->>'messageId' like 'bad-%'`)).rows[0].n,
      );
      console.log(
        `database outage: sent ${sent} = stored ${stored} + quarantined ${quarantined} + refused ${refused}; responses ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      expect(total).toBe(stored);
      expect(stored + quarantined + refused).toBe(sent);
      expect(refused).toBe(0);
      expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
      expect(statuses.get(500) ?? 0).toBe(0);
      expect(missingRetryAfter).toBe(0);
      // Five disruptions: a line when the database goes away and one when it is back, not one per request.
      const loud = server.logLines().filter((line) => line.level >= 40);
      expect(loud.length).toBeLessThanOrEqual(5 * 3);
    } finally {
      await check.end();
      server.child.kill('SIGTERM');
    }
  }, 150_000);
});
