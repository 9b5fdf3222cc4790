/**
 * `npm run bench:handoff`: hand-off figures, printed, never asserted.
 *   The SLA sweep over BENCH_HANDOFFS (default 100000) open hand-offs, in process;
 *   event-to-webhook latency of hand-raisers under BENCH_RATE (default 2000) events/s for
 *   BENCH_SECONDS (default 20) against a `serve` child and a loopback receiver.
 *   BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) the server to use;
 *   BENCH_SWEEP_CATCH_UP (minutes, default 60) the backlog of the second sweep;
 *   BENCH_WEBHOOK_BACKLOG (minutes, default 0) seeds the load's database with the same 100,000
 *   hand-offs and this backlog, so the server's own SLA sweep job works through it under load;
 *   BENCH_ONLY=sweep|webhook to run one half only.
 */
import { createServer } from 'node:http';
import { sql } from 'kysely';
import pg from 'pg';
import { bootstrapWorkspace } from '../src/server/bootstrap-workspace.ts';
import { type Db, openDatabase } from '../src/server/db/open-database.ts';
import { withThrowawayDatabase } from '../src/server/db/throwaway-database.ts';
import { sweepSla } from '../src/server/handoff/sweep-sla.ts';
import { createPlaybookStore } from '../src/server/playbooks/playbook-store.ts';
import { generateWebhookSecret } from '../src/server/webhooks/sign-webhook.ts';
import { startBenchServer } from './bench-server.ts';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HANDOFFS = Number(process.env.BENCH_HANDOFFS ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 2_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ONLY = process.env.BENCH_ONLY ?? '';
/** The load is sent open-loop: every tick fires its requests whatever is still in flight. */
const TICK_MS = 50;
const REQUESTS_PER_TICK = 4;
/** One hand-raiser (identify + Demo Requested for a new user, in one batch) per this many events. */
const HAND_RAISER_EVERY = 50;
const ORDINARY_USERS = 5_000;
const GRACE_MS = 10_000;
/** The second sweep's backlog; 2880 (48 h) means no sweep ever ran: every warning and breach is due at once. */
const CATCH_UP_MINUTES = Number(process.env.BENCH_SWEEP_CATCH_UP ?? 60);
const WEBHOOK_BACKLOG_MINUTES = Number(process.env.BENCH_WEBHOOK_BACKLOG ?? 0);

type Figures = Array<[string, string]>;

/**
 * MQL contacts with one open hand-off each, qualified evenly over the 48 hours before `now`
 * (SLA 24 h, warning at 18 h, then notify at +0 and reassign at +4 h, as in the default
 * playbook), owned by the `inbound` team so reassignment has a rotation.
 */
async function seedHandoffs(db: Db, workspaceId: string, now: number): Promise<void> {
  const at = new Date(now);
  await sql`
    with seeded as (
      insert into contacts (workspace_id, email, user_id, job_title, phone, stage, owner, team_id,
        fit, engagement, score, grade, temperature, stage_entered_at, created_at, updated_at)
      select ${workspaceId}::uuid, 'sla-' || i || '@sla-' || (i % 5000) || '.example', 'sla-' || i, 'VP Marketing',
        '+1 555 0100', 'mql', case when i % 3 = 0 then 'casey@example.com' else 'riley@example.com' end, 'inbound',
        5500, 4000, 4750, 'B', 'warm', jsonb_build_object('mql', q), q, q
      from generate_series(1, ${HANDOFFS}) as i,
        lateral (select ${at}::timestamptz - make_interval(secs => 48 * 3600 * i::double precision / ${HANDOFFS}) as q) t
      returning id, owner, updated_at
    )
    insert into handoffs (workspace_id, contact_id, owner, team_id, qualified_at, warn_at, due_at)
    select ${workspaceId}::uuid, id, owner, 'inbound', updated_at, updated_at + interval '18 hours',
      updated_at + interval '24 hours'
    from seeded`.execute(db);
}

/**
 * Leaves the hand-offs as sweeps up to `lastSweep` would have: warnings and breaches marked,
 * the manager notified, and those 4 h past their deadline closed and reassigned to the other
 * rep with a fresh clock (the ladder continuing at its third step).
 */
async function markSweptUntil(db: Db, lastSweep: number): Promise<void> {
  const at = new Date(lastSweep);
  await sql`update handoffs set warned_at = warn_at where warn_at <= ${at}`.execute(db);
  await sql`update handoffs set breached_at = due_at, escalation_step = 1, next_escalation_at = due_at + interval '4 hours'
    where due_at <= ${at}`.execute(db);
  await sql`
    with reassigned as (
      update handoffs set status = 'closed', closed_reason = 'reassigned', escalation_step = 2, next_escalation_at = null
      where due_at + interval '4 hours' <= ${at}
      returning workspace_id, contact_id, owner, team_id, due_at + interval '4 hours' as q
    )
    insert into handoffs (workspace_id, contact_id, owner, team_id, qualified_at, warn_at, due_at, warned_at, escalation_step)
    select workspace_id, contact_id, case when owner = 'riley@example.com' then 'casey@example.com' else 'riley@example.com' end,
      team_id, q, q + interval '18 hours', q + interval '24 hours',
      case when q + interval '18 hours' <= ${at} then q + interval '18 hours' end, 2
    from reassigned`.execute(db);
  await sql`analyze`.execute(db);
}

async function benchSweep(figures: Figures): Promise<void> {
  await withThrowawayDatabase(PG_URL, 'ripen_bench_sla', async (url) => {
    const database = await openDatabase({ kind: 'postgres', url });
    try {
      const { workspaceId } = await bootstrapWorkspace(database.db);
      const now = Date.now();
      const steady = now - CATCH_UP_MINUTES * 60_000;
      await seedHandoffs(database.db, workspaceId, now);
      await markSweptUntil(database.db, steady - 60_000);
      // An endpoint that takes every type, so the sweep writes the outbox as in production.
      await database.db
        .insertInto('webhook_endpoints')
        .values({ workspace_id: workspaceId, url: 'https://crm.example/hooks', secret: generateWebhookSecret() })
        .execute();
      figures.push([
        'PostgreSQL open hand-offs',
        `${HANDOFFS} (qualified over the last 48 h; SLA 24 h, warning at 18 h)`,
      ]);
      const deps = { db: database.db, playbooks: createPlaybookStore(database.db) };
      const passes: Array<[string, number]> = [
        ['1 min after the last (the schedule)', steady],
        [`${CATCH_UP_MINUTES} min after the last`, now],
        ['again at the same instant', now],
      ];
      for (const [label, at] of passes) {
        const started = performance.now();
        const swept = await sweepSla(deps, workspaceId, at);
        const seconds = (performance.now() - started) / 1000;
        figures.push([
          `PostgreSQL SLA sweep, ${label}`,
          `${seconds.toFixed(2)} s (warned ${swept.warned}, breached ${swept.breached}, escalation steps ${swept.escalated})`,
        ]);
      }
      const open = await database.db
        .selectFrom('handoffs')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('status', '=', 'open')
        .executeTakeFirstOrThrow();
      figures.push(['  open hand-offs after the sweeps (reassigned ones reopen)', String(open.count)]);
    } finally {
      await database.close();
    }
  });
}

interface Receiver {
  url: string;
  /** First `lead.mql` arrival (epoch ms) by lead email. */
  arrivals: Map<string, number>;
  close(): Promise<void>;
}

/** A loopback webhook receiver that notes when each lead's `lead.mql` arrived and answers 204. */
async function startReceiver(): Promise<Receiver> {
  const arrivals = new Map<string, number>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          type?: string;
          data?: { lead?: { email?: string | null } };
        };
        const email = body.data?.lead?.email;
        if (body.type === 'lead.mql' && email && !arrivals.has(email)) arrivals.set(email, at);
        response.writeHead(204).end();
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    arrivals,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type Message = Record<string, unknown>;

interface LoadResult {
  /** Acknowledgement (epoch ms) of each hand-raiser's batch, by email. */
  acks: Map<string, number>;
  events: number;
  seconds: number;
  failed: number;
}

function ordinaryEvent(n: number): Message {
  const userId = `user-${(n * 7919) % ORDINARY_USERS}`;
  return n % 2 === 0
    ? { type: 'track', messageId: `o-${n}`, userId, event: 'Email Opened' }
    : { type: 'page', messageId: `o-${n}`, userId, name: 'Blog', properties: { path: `/blog/post-${n % 300}` } };
}

function handRaiser(k: number): { email: string; messages: Message[] } {
  const userId = `hand-raiser-${k}`;
  // A company of its own, as inbound demo requests come from many accounts.
  const email = `${userId}@company-${k}.example`;
  const traits = { email, jobTitle: 'VP Marketing', phone: '+1 555 0100' };
  return {
    email,
    messages: [
      { type: 'identify', messageId: `i-${k}`, userId, traits },
      { type: 'track', messageId: `d-${k}`, userId, event: 'Demo Requested' },
    ],
  };
}

/**
 * Open-loop load: every TICK_MS, REQUESTS_PER_TICK concurrent /v1/batch requests carry the
 * tick's share of RATE, with one hand-raiser per HAND_RAISER_EVERY events.
 */
async function driveLoad(url: string, writeKey: string): Promise<LoadResult> {
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  const perRequest = Math.round((RATE * TICK_MS) / 1000 / REQUESTS_PER_TICK);
  const pairsPerRequest = perRequest / HAND_RAISER_EVERY;
  const ticks = Math.round((SECONDS * 1000) / TICK_MS);
  const acks = new Map<string, number>();
  let ordinary = 0;
  let raised = 0;
  let credit = 0;
  let events = 0;
  let failed = 0;
  const inFlight: Array<Promise<void>> = [];
  const post = async (batch: Message[], emails: string[]) => {
    try {
      const response = await fetch(`${url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ batch }),
      });
      const body = (await response.json()) as { errors?: unknown[] };
      const at = Date.now();
      if (!response.ok || (body.errors?.length ?? 0) > 0) {
        failed++;
        return;
      }
      events += batch.length;
      for (const email of emails) acks.set(email, at);
    } catch {
      failed++;
    }
  };
  const started = Date.now();
  for (let tick = 0; tick < ticks; tick++) {
    const wait = started + tick * TICK_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    for (let request = 0; request < REQUESTS_PER_TICK; request++) {
      const batch: Message[] = [];
      const emails: string[] = [];
      for (credit += pairsPerRequest; credit >= 1; credit--) {
        const pair = handRaiser(raised++);
        batch.push(...pair.messages);
        emails.push(pair.email);
      }
      while (batch.length < perRequest) batch.push(ordinaryEvent(ordinary++));
      inFlight.push(post(batch, emails));
    }
  }
  await Promise.all(inFlight);
  return { acks, events, seconds: (Date.now() - started) / 1000, failed };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function describeLatencies(latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => `${Math.round(percentile(sorted, p))} ms`;
  return `n ${sorted.length}, p50 ${at(50)}, p95 ${at(95)}, p99 ${at(99)}, max ${at(100)}`;
}

async function waitForDeliveries(receiver: Receiver, acks: Map<string, number>): Promise<void> {
  const deadline = Date.now() + GRACE_MS;
  while (Date.now() < deadline && [...acks.keys()].some((email) => !receiver.arrivals.has(email))) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Where each hand-raiser's time went, split at the `lead.mql` message's timestamp: the clock
 * the scoring batch read when it started (so waits inside that transaction count after it).
 */
async function splitLatencies(url: string, acks: Map<string, number>, receiver: Receiver): Promise<Figures> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ email: string; written: Date }>(
      `select payload -> 'data' -> 'lead' ->> 'email' as email, created_at as written
       from webhook_messages where type = 'lead.mql'`,
    );
    const scoring: number[] = [];
    const outbox: number[] = [];
    for (const row of result.rows) {
      const ack = acks.get(row.email);
      const arrival = receiver.arrivals.get(row.email);
      if (ack === undefined) continue;
      scoring.push(row.written.getTime() - ack);
      if (arrival !== undefined) outbox.push(arrival - row.written.getTime());
    }
    return [
      ['  ack → scoring batch start (lead.mql timestamp)', describeLatencies(scoring)],
      ['  lead.mql timestamp → received', describeLatencies(outbox)],
    ];
  } finally {
    await client.end();
  }
}

async function benchWebhooks(figures: Figures): Promise<void> {
  await withThrowawayDatabase(PG_URL, 'ripen_bench_webhook', async (url) => {
    const database = await openDatabase({ kind: 'postgres', url });
    const { writeKey, secretKey, workspaceId } = await bootstrapWorkspace(database.db);
    if (WEBHOOK_BACKLOG_MINUTES > 0) {
      const now = Date.now();
      await seedHandoffs(database.db, workspaceId, now);
      await markSweptUntil(database.db, now - WEBHOOK_BACKLOG_MINUTES * 60_000);
    }
    await database.close();
    if (!writeKey || !secretKey) throw new Error('bench database was not fresh');
    const receiver = await startReceiver();
    try {
      const server = await startBenchServer({ DATABASE_URL: url, RIPEN_WEBHOOK_ALLOW: '127.0.0.1/32' });
      try {
        const created = await fetch(`${server.url}/api/webhooks`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ url: receiver.url, eventTypes: ['lead.mql'] }),
        });
        if (created.status !== 201) throw new Error(`creating the endpoint answered ${created.status}`);
        const load = await driveLoad(server.url, writeKey);
        await waitForDeliveries(receiver, load.acks);
        const latencies: number[] = [];
        let missing = 0;
        for (const [email, ack] of load.acks) {
          const arrival = receiver.arrivals.get(email);
          if (arrival === undefined) missing++;
          else latencies.push(arrival - ack);
        }
        figures.push(
          [
            `PostgreSQL load (${RATE} events/s offered, ${REQUESTS_PER_TICK} batches every ${TICK_MS} ms, ${SECONDS} s${WEBHOOK_BACKLOG_MINUTES > 0 ? `, SLA backlog ${WEBHOOK_BACKLOG_MINUTES} min` : ''})`,
            `${Math.round(load.events / load.seconds)} events/s acknowledged, non-2xx or failed requests ${load.failed}`,
          ],
          ['PostgreSQL hand-raiser ack → lead.mql received', describeLatencies(latencies)],
          ...(await splitLatencies(url, load.acks, receiver)),
          [`  hand-raisers not delivered ${GRACE_MS / 1000} s after the load`, String(missing)],
          ['PostgreSQL server peak RSS', `${server.peakRssMb()} MB`],
        );
      } finally {
        await server.stop();
      }
    } finally {
      await receiver.close();
    }
  });
}

async function main(): Promise<void> {
  const figures: Figures = [];
  if (ONLY !== 'webhook') await benchSweep(figures);
  if (ONLY !== 'sweep') await benchWebhooks(figures);
  const width = Math.max(...figures.map(([label]) => label.length));
  for (const [label, value] of figures) process.stdout.write(`${label.padEnd(width)}  ${value}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:handoff failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
