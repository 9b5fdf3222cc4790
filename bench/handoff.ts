/**
 * `npm run bench:handoff`: hand-off figures, printed, never asserted.
 *   The SLA sweep over BENCH_HANDOFFS (default 100000) open hand-offs, in process;
 *   event-to-webhook latency of hand-raisers under BENCH_RATE (default 2000) events/s for
 *   BENCH_SECONDS (default 20) against a `serve` child and a loopback receiver.
 *   BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) the server to use;
 *   BENCH_ONLY=sweep|webhook to run one half only.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { type Db, openDatabase } from '../src/server/db/open-database.ts';
import { createThrowawayDatabase } from '../src/server/db/throwaway-database.ts';
import { sweepSla } from '../src/server/handoff/sweep-sla.ts';
import { createPlaybookStore } from '../src/server/playbooks/playbook-store.ts';
import { generateWebhookSecret } from '../src/server/webhooks/sign-webhook.ts';
import { bootstrapWorkspace } from '../src/server/workspaces/bootstrap-workspace.ts';
import { startBenchServer } from './bench-server.ts';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HANDOFFS = Number(process.env.BENCH_HANDOFFS ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 2_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ONLY = process.env.BENCH_ONLY ?? '';
const HOUR_MS = 3_600_000;
/** The load is sent open-loop: every tick fires its requests whatever is still in flight. */
const TICK_MS = 50;
const REQUESTS_PER_TICK = 4;
/** One event in this many is half of a hand-raiser (identify + Demo Requested for a new user). */
const HAND_RAISER_EVERY = 50;
const ORDINARY_USERS = 5_000;
const GRACE_MS = 10_000;

type Figures = Array<[string, string]>;

async function withDatabase<T>(prefix: string, work: (url: string) => Promise<T>): Promise<T> {
  const throwaway = await createThrowawayDatabase(PG_URL, prefix);
  try {
    return await work(throwaway.url);
  } finally {
    await throwaway.drop();
  }
}

/**
 * MQL contacts with one open hand-off each, qualified evenly over the 48 hours before `now`
 * (SLA 24 h, warning at 18 h as in the default playbook), owned by the `inbound` team so
 * reassignment has a rotation. One endpoint takes every type, so the sweep writes the outbox.
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
  await db
    .insertInto('webhook_endpoints')
    .values({ workspace_id: workspaceId, url: 'https://crm.example/hooks', secret: generateWebhookSecret() })
    .execute();
  await sql`analyze`.execute(db);
}

async function benchSweep(figures: Figures): Promise<void> {
  await withDatabase('ripen_bench_sla', async (url) => {
    const database = await openDatabase({ kind: 'postgres', url });
    try {
      const { workspaceId } = await bootstrapWorkspace(database.db);
      const now = Date.now();
      await seedHandoffs(database.db, workspaceId, now);
      const deps = { db: database.db, playbooks: createPlaybookStore(database.db) };
      for (const pass of ['first', 'second'] as const) {
        const started = performance.now();
        const swept = await sweepSla(deps, workspaceId, now);
        const seconds = (performance.now() - started) / 1000;
        figures.push([
          `PostgreSQL SLA sweep over ${HANDOFFS} open hand-offs, ${pass} pass`,
          `${seconds.toFixed(2)} s (warned ${swept.warned}, breached ${swept.breached}, escalation steps ${swept.escalated})`,
        ]);
      }
      const outbox = await database.db
        .selectFrom('webhook_messages')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      figures.push(['  webhook messages the sweep wrote', String(outbox.count)]);
    } finally {
      await database.close();
    }
  });
}

async function main(): Promise<void> {
  const figures: Figures = [];
  await benchSweep(figures);
  const width = Math.max(...figures.map(([label]) => label.length));
  for (const [label, value] of figures) process.stdout.write(`${label.padEnd(width)}  ${value}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:handoff failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
