/**
 * `npm run bench:web`: how fast the web app's data answers, printed, never asserted.
 * Issue 13's target: on PostgreSQL with 100,000 demo contacts, the list's first page under
 * any single filter, the matrix counts, a lead page's data and the inbox each ≤ 150 ms at p95.
 *   BENCH_WEB_URL (default postgres://postgres@127.0.0.1:5432/ripen_bench_web): a database
 *   loaded with `DATABASE_URL=… npx ripen demo --contacts 100000` (the bench says so when
 *   it is empty); BENCH_REQUESTS (default 200) timed requests per case, after 20 warm-ups.
 * Requests go over HTTP to the real app, signed in as a manager (a session cookie, as the
 * web app sends), one at a time, so each figure is one request's latency.
 */
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.ts';
import { openDatabase } from '../src/server/db/open-database.ts';
import { createUser } from '../src/server/users/create-user.ts';

const URL_ = process.env.BENCH_WEB_URL ?? 'postgres://postgres@127.0.0.1:5432/ripen_bench_web';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const WARM_UP = 20;
const TARGET_MS = 150;

const database = await openDatabase({ kind: 'postgres', url: URL_, poolSize: 10 });
const workspace = await database.db
  .selectFrom('workspaces')
  .select('id')
  .orderBy('created_at')
  .limit(1)
  .executeTakeFirst();
const contactCount = workspace
  ? Number(
      (
        await database.db
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll<string>().as('count'))
          .where('workspace_id', '=', workspace.id)
          .executeTakeFirstOrThrow()
      ).count,
    )
  : 0;
if (!workspace || contactCount === 0) {
  process.stderr.write(
    `bench:web needs demo data: DATABASE_URL=${URL_} npx ripen demo --contacts 100000 (create the database first)\n`,
  );
  await database.close();
  process.exit(1);
}
const workspaceId = workspace.id;
// Steady state, as autovacuum keeps a live database: planner statistics and the visibility map
// (index-only counts) current after the bulk load. Machines with autovacuum off would measure
// the load's leftovers instead.
const vacuumStarted = performance.now();
await sql`vacuum (analyze)`.execute(database.db);
process.stdout.write(`vacuumed and analyzed first in ${((performance.now() - vacuumStarted) / 1000).toFixed(1)} s\n`);
const { app } = await buildApp({ db: database.db, dbKind: 'postgres' });
const base = await app.listen({ host: '127.0.0.1', port: 0 });

// A manager, signed in as the web app is.
const email = `bench-manager-${Date.now()}@example.com`;
const created = await createUser(database.db, workspaceId, { email, role: 'manager' }, 'bench', Date.now());
if (!created.ok) throw new Error(created.error.message);
const signIn = await fetch(`${base}/api/session`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email, password: created.value.password }),
});
const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

async function get(path: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${base}${path}`, { headers: { cookie } });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return elapsed;
}

const pick = <T>(items: readonly T[], index: number): T => items[index % items.length] as T;
const percentile = (sorted: number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;

async function measure(paths: (index: number) => string): Promise<{ p50: number; p95: number; p99: number }> {
  for (let index = 0; index < WARM_UP; index++) await get(paths(index));
  const times: number[] = [];
  for (let index = 0; index < REQUESTS; index++) times.push(await get(paths(index + WARM_UP)));
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), p99: percentile(times, 0.99) };
}

const db = database.db;
const sampleContacts = (
  await db
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .orderBy('updated_at', 'desc')
    .limit(500)
    .execute()
).map((row) => row.id);
const busiest = await db
  .selectFrom('handoffs')
  .select(['owner', (eb) => eb.fn.countAll<string>().as('count')])
  .where('workspace_id', '=', workspaceId)
  .where('status', '=', 'open')
  .groupBy('owner')
  .orderBy('count', 'desc')
  .limit(1)
  .executeTakeFirst();
const rep = busiest?.owner ?? 'riley@example.com';
const companies = (
  await db.selectFrom('companies').select('id').where('workspace_id', '=', workspaceId).limit(200).execute()
).map((row) => row.id);
const words = ['manager', 'marketing', 'head', 'sales', 'director', 'ops', 'anna', 'patel', 'growth', 'cto'];

const cases: Array<[string, (index: number) => string]> = [
  ['list: no filter', () => '/api/contacts?limit=50'],
  ['list: stage=mql', () => '/api/contacts?stage=mql&limit=50'],
  ['list: stage=sql', () => '/api/contacts?stage=sql&limit=50'],
  ['list: grade=A', () => '/api/contacts?grade=A&limit=50'],
  ['list: temperature=hot', () => '/api/contacts?temperature=hot&limit=50'],
  ['list: owner', () => `/api/contacts?owner=${encodeURIComponent(rep)}&limit=50`],
  ['list: company', (index) => `/api/contacts?companyId=${pick(companies, index)}&limit=50`],
  ['list: text search', (index) => `/api/contacts?q=${pick(words, index)}&limit=50`],
  ['list: sort=updated', () => '/api/contacts?sort=updated&limit=50'],
  ['matrix: no filter', () => '/api/contacts/matrix'],
  ['matrix: stage=mql', () => '/api/contacts/matrix?stage=mql'],
  ['matrix: text search', (index) => `/api/contacts/matrix?q=${pick(words, index)}`],
  ['lead page data', (index) => `/api/contacts/${pick(sampleContacts, index)}/page`],
  ['lead timeline, first page', (index) => `/api/contacts/${pick(sampleContacts, index)}/events?limit=50`],
  ['inbox: one rep', () => `/api/handoffs?owner=${encodeURIComponent(rep)}&status=open&limit=200`],
  ['inbox: everyone (manager)', () => '/api/handoffs?status=open&limit=200'],
  ['home', () => '/api/home'],
];

process.stdout.write(
  `bench:web — PostgreSQL, ${contactCount.toLocaleString('en')} contacts, ${REQUESTS} requests per case (target p95 ≤ ${TARGET_MS} ms)\n\n`,
);
process.stdout.write(`${'case'.padEnd(30)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}\n`);
let over = 0;
for (const [name, paths] of cases) {
  const { p50, p95, p99 } = await measure(paths);
  if (p95 > TARGET_MS) over++;
  process.stdout.write(
    `${name.padEnd(30)} ${p50.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)}${p95 > TARGET_MS ? '  over target' : ''}\n`,
  );
}
process.stdout.write(`\n${over === 0 ? 'every case within' : `${over} case(s) over`} the ${TARGET_MS} ms p95 target\n`);
await db.updateTable('users').set({ removed_at: new Date() }).where('email', '=', email).execute();
await app.close();
await database.close();
