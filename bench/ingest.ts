/**
 * `npm run bench:ingest`: ingestion figures, printed, never asserted.
 *   BENCH_EVENTS (default 60000) synthetic events from the demo generator;
 *   BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) the server to use.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { generateDemo } from '../src/demo/generate-demo.ts';
import { bootstrapWorkspace } from '../src/server/bootstrap-workspace.ts';
import { openDatabase } from '../src/server/db/open-database.ts';
import { withThrowawayDatabase } from '../src/server/db/throwaway-database.ts';
import { startBenchServer } from './bench-server.ts';
import { describeCpu, snapshotCpu } from './cpu-usage.ts';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 60_000);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BATCH = 100;
const CONCURRENCY = 16;
/** `postgres` or `pglite` to run one half only. */
const ONLY = process.env.BENCH_ONLY ?? '';

type Message = { messageId: string; type: string; [key: string]: unknown };

function generateMessages(total: number): Message[] {
  const messages: Message[] = [];
  for (const chunk of generateDemo({ seed: 7, contacts: Math.ceil(total / 10), now: Date.now(), months: 6 })) {
    for (const message of chunk.messages) {
      messages.push(message);
      if (messages.length >= total) return messages;
    }
  }
  return messages;
}

function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `"${text.replace(/"/g, '""')}"`;
}

/** Raw COPY rate, the median of three runs into a fresh bare table: one run varied by ±10 %. */
async function rawCopy(url: string, messages: Message[]): Promise<{ median: number; min: number; max: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // The CSV is built before the clock starts, as the batch bodies are: the client's own
  // serialising counts against neither. Sent in chunks of 1,000 lines, as a COPY client would.
  const lines = messages.map(
    (m) =>
      `${[m.messageId, m.type, m.event ?? m.name, m.userId, m.anonymousId, m.properties ?? m.traits ?? {}, m.timestamp]
        .map(csvField)
        .join(',')}\n`,
  );
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 1000) chunks.push(lines.slice(i, i + 1000).join(''));
  const rates: number[] = [];
  for (let run = 0; run < 3; run++) {
    await client.query('drop table if exists bare_events');
    await client.query(`create table bare_events (message_id text, type text, name text, user_id text,
      anonymous_id text, properties jsonb, occurred_at timestamptz)`);
    const started = performance.now();
    await pipeline(Readable.from(chunks), client.query(copyFrom('copy bare_events from stdin with (format csv)')));
    rates.push(messages.length / ((performance.now() - started) / 1000));
  }
  await client.query('drop table bare_events');
  await client.end();
  rates.sort((a, b) => a - b);
  return { median: rates[1]!, min: rates[0]!, max: rates[2]! };
}

async function postBatches(
  url: string,
  writeKey: string,
  messages: Message[],
): Promise<{ rate: number; errors: number }> {
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  // Bodies are serialised before the clock starts: the load generator shares the machine's
  // cores with the server and the database, and its own work should not count against them.
  const batches: string[] = [];
  for (let i = 0; i < messages.length; i += BATCH)
    batches.push(JSON.stringify({ batch: messages.slice(i, i + BATCH) }));
  // Plain keep-alive HTTP/1.1 rather than fetch: about a third of the client CPU per request.
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const target = new URL('/v1/batch', url);
  const post = (body: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            authorization: auth,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) {
        const response = await post(batches[next++]!);
        const body = JSON.parse(response.body) as { errors?: unknown[] };
        if (response.status !== 200 || (body.errors?.length ?? 0) > 0) errors++;
      }
    }),
  );
  agent.destroy();
  return { rate: messages.length / ((performance.now() - started) / 1000), errors };
}

/** Polls the queue status until scoring has caught up; returns when the last queued row was scored. */
async function waitUntilScored(url: string, secretKey: string): Promise<number> {
  for (;;) {
    const response = await fetch(`${url}/api/queues`, { headers: { authorization: `Bearer ${secretKey}` } });
    const body = (await response.json()) as { scoreQueue: { pending: number } };
    if (body.scoreQueue.pending === 0) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Batches as fast as acknowledged, then the time until every event is also scored (stages
 * included), and the CPU each process used meanwhile (where the time went).
 */
async function batchFigures(
  url: string,
  serverPid: number | undefined,
  writeKey: string,
  secretKey: string,
  messages: Message[],
) {
  const before = snapshotCpu(serverPid);
  const started = performance.now();
  const batch = await postBatches(url, writeKey, messages);
  const scoredAt = await waitUntilScored(url, secretKey);
  const cpu = describeCpu(before, snapshotCpu(serverPid));
  return { ...batch, scoredRate: messages.length / ((scoredAt - started) / 1000), cpu };
}

async function singleEvents(url: string, writeKey: string): Promise<autocannon.Result> {
  let counter = 0;
  return autocannon({
    url: `${url}/v1/track`,
    method: 'POST',
    connections: 32,
    duration: 10,
    headers: {
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    requests: [
      {
        setupRequest: (request) => {
          counter++;
          const body = {
            userId: `single-${counter % 2000}`,
            messageId: `single-${counter}-${Date.now()}`,
            event: 'Email Opened',
          };
          return { ...request, body: JSON.stringify(body) };
        },
      },
    ],
  });
}

async function main(): Promise<void> {
  const messages = generateMessages(TOTAL);
  process.stdout.write(`bench:ingest: ${messages.length} synthetic events (demo generator, seed 7)\n`);
  const figures: Array<[string, string]> = [];

  if (ONLY !== 'pglite')
    await withThrowawayDatabase(PG_URL, 'ripen_bench_pg', async (url) => {
      const copy = await rawCopy(url, messages);
      const copyRate = copy.median;
      figures.push([
        'PostgreSQL raw COPY into a bare table (median of 3)',
        `${Math.round(copyRate)} events/s (runs ${Math.round(copy.min)}–${Math.round(copy.max)})`,
      ]);
      const database = await openDatabase({ kind: 'postgres', url });
      const { writeKey, secretKey } = await bootstrapWorkspace(database.db);
      await database.close();
      if (!writeKey || !secretKey) throw new Error('bench database was not fresh');
      const server = await startBenchServer({ DATABASE_URL: url });
      try {
        const batch = await batchFigures(server.url, server.child.pid, writeKey, secretKey, messages);
        figures.push([
          'PostgreSQL /v1/batch acknowledged (100/request, 16 concurrent)',
          `${Math.round(batch.rate)} events/s (${(batch.rate / copyRate).toFixed(2)} × COPY)${batch.errors ? `, ${batch.errors} failed requests` : ''}`,
        ]);
        figures.push([
          'PostgreSQL /v1/batch until all scored (scores + stages + hand-offs)',
          `${Math.round(batch.scoredRate)} events/s (${(batch.scoredRate / copyRate).toFixed(2)} × COPY)`,
        ]);
        if (batch.cpu) figures.push(['  CPU used until all scored', batch.cpu]);
        const beforeSingle = snapshotCpu(server.child.pid);
        const single = await singleEvents(server.url, writeKey);
        const singleCpu = describeCpu(beforeSingle, snapshotCpu(server.child.pid));
        figures.push([
          'PostgreSQL single /v1/track (32 connections, 10 s)',
          `${Math.round(single.requests.average)} req/s, p50 ${single.latency.p50} ms, p99 ${single.latency.p99} ms, non-2xx ${single.non2xx}`,
        ]);
        if (singleCpu) figures.push(['  CPU used in those 10 s', singleCpu]);
        figures.push(['PostgreSQL server peak RSS', `${server.peakRssMb()} MB`]);
      } finally {
        await server.stop();
      }
    });

  const dir = mkdtempSync(join(tmpdir(), 'ripen-bench-'));
  if (ONLY !== 'postgres')
    try {
      const server = await startBenchServer({ RIPEN_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' });
      try {
        const { writeKey, secretKey } = JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')) as {
          writeKey: string;
          secretKey: string;
        };
        const batch = await batchFigures(server.url, server.child.pid, writeKey, secretKey, messages);
        figures.push([
          'PGlite /v1/batch acknowledged (100/request, 16 concurrent)',
          `${Math.round(batch.rate)} events/s${batch.errors ? `, ${batch.errors} failed requests` : ''}`,
        ]);
        figures.push(['PGlite /v1/batch until all scored', `${Math.round(batch.scoredRate)} events/s`]);
        if (batch.cpu) figures.push(['  CPU used until all scored (PGlite runs in the server)', batch.cpu]);
        figures.push(['PGlite server peak RSS', `${server.peakRssMb()} MB`]);
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

  const width = Math.max(...figures.map(([label]) => label.length));
  for (const [label, value] of figures) process.stdout.write(`${label.padEnd(width)}  ${value}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:ingest failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
