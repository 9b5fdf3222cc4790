/**
 * `npm run bench:insight`: how long each funnel report and a backtest take at scale, printed,
 * never asserted.
 *   PostgreSQL: generates BENCH_CONTACTS (default 1,000,000) contacts with ten events each, their
 *   stage history, hand-offs and won deals over the last 18 months, in SQL (generate_series,
 *   indexes built after the load), in a throwaway database on BENCH_PG_URL (default
 *   postgres://postgres@127.0.0.1:5432/postgres); then times each report over the default
 *   period (the last 12 months), with its splits, and a page of the leads behind a figure; then
 *   a backtest of the three months before the newest event (a lowered MQL bar, then the worst
 *   case: `engagement >= 35` alone), with this process's peak RSS (bench/backtest.ts). Also times
 *   inserting events with and without migration 0015's touches index, and without migration
 *   0020's trigger that keeps each contact's touches (the costs they add to ingestion).
 *   BENCH_KEEP=1 keeps the database and prints its URL; BENCH_REUSE=<url of a kept database>
 *   times the reports again without generating anything.
 *   PGlite: the same data, reports and backtests at BENCH_PGLITE_CONTACTS (default 100,000) in a
 *   temporary folder. BENCH_ONLY=postgres or pglite runs one of the two.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RawBuilder, sql } from 'kysely';
import type { ReportParams } from '../src/core/insight/report-query.ts';
import type { ReportName, Split } from '../src/core/insight/report-types.ts';
import { bootstrapWorkspace } from '../src/server/bootstrap-workspace.ts';
import { type Db, openDatabase } from '../src/server/db/open-database.ts';
import { createThrowawayDatabase } from '../src/server/db/throwaway-database.ts';
import { listReportLeads, runReport } from '../src/server/insight/run-report.ts';
import { IS_TOUCH } from '../src/server/insight/touches.ts';
import { benchBacktestOn } from './backtest.ts';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PG_CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const PGLITE_CONTACTS = Number(process.env.BENCH_PGLITE_CONTACTS ?? 100_000);
const ONLY = process.env.BENCH_ONLY ?? '';
const EVENTS_PER_CONTACT = 10;
/** The size of the workspace being generated or timed: one database at a time. */
let CONTACTS = PG_CONTACTS;
const companies = () => Math.max(1, Math.round(CONTACTS / 20));
const KEEP = process.env.BENCH_KEEP === '1';
const REUSE = process.env.BENCH_REUSE ?? '';

async function timed<T>(label: string, work: () => Promise<T>, reference?: number): Promise<T> {
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const relative = reference ? `   ${(seconds / reference).toFixed(2)} × reference` : '';
  console.log(`${label.padEnd(58)} ${seconds.toFixed(2).padStart(7)} s${relative}`);
  return result;
}

/**
 * The same work every time, to compare runs on a shared machine whose speed changes by the
 * hour: counting 20M generated rows, 1.2 s on a quiet machine. Returns its seconds.
 */
async function machineReference(db: Db): Promise<number> {
  const started = performance.now();
  await timed('machine reference: count 20,000,000 generated rows', () =>
    sql`select count(*) from generate_series(1, 20000000)`.execute(db),
  );
  return (performance.now() - started) / 1000;
}

/** A deterministic number in [0, 1) for row `n` and draw `k`. */
const R = (n: RawBuilder<unknown>, k: number) => sql`r(${n}, ${k})`;

async function generate(db: Db, workspaceId: string, now: Date): Promise<void> {
  await sql`create function r(bigint, integer) returns double precision language sql immutable parallel safe
    as 'select (hashint8($1 * 1000 + $2) & 2147483647)::double precision / 2147483648'`.execute(db);
  const n = sql`n`;
  await timed(`companies (${companies().toLocaleString('en')})`, () =>
    sql`insert into companies (workspace_id, group_id, name, industry, employees, properties)
      select ${workspaceId}::uuid, 'g' || n, 'Company ' || n,
        (array['Software', 'Retail', 'Finance', 'Health', 'Education', 'Manufacturing', null])[1 + floor(${R(n, 1)} * 7)::int],
        case when ${R(n, 2)} < 0.1 then null else (1 + floor(exp(${R(n, 3)} * 9)))::int end, '{}'
      from generate_series(1, ${companies()}) n`.execute(db),
  );
  // Rank reached: 75 % stay leads; of MQLs 60 % go on at each step, half of opportunities win.
  await timed(`contacts (${CONTACTS.toLocaleString('en')})`, () =>
    sql`insert into contacts (workspace_id, user_id, email, company_id, job_title, stage, owner, grade, temperature,
        score, properties, stage_entered_at, created_at, updated_at)
      select ${workspaceId}::uuid, 'u' || n, 'p' || n || '@bench.example', co.id,
        (array['VP Marketing', 'Sales Director', 'Marketing Manager', 'Software Engineer', null])[1 + floor(${R(n, 14)} * 5)::int],
        case when rank between 2 and 4 and ${R(n, 7)} < 0.3 then 'recycled'
          else (array['lead', 'mql', 'sal', 'sql', 'opportunity', 'customer'])[rank] end,
        case when rank >= 2 then 'rep-' || (n % 20) end,
        (array['A', 'B', 'C', 'D'])[1 + floor(${R(n, 8)} * 4)::int],
        (array['cold', 'warm', 'hot'])[1 + floor(${R(n, 9)} * 3)::int],
        floor(${R(n, 10)} * 10000)::int, '{}', '{}', created, created
      from generate_series(1, ${CONTACTS}) n
      cross join lateral (select case when ${R(n, 2)} >= 0.25 then 1 when ${R(n, 3)} >= 0.6 then 2
        when ${R(n, 4)} >= 0.6 then 3 when ${R(n, 5)} >= 0.6 then 4 when ${R(n, 6)} >= 0.5 then 5 else 6 end as rank,
        ${now}::timestamptz - make_interval(days => 540) * ${R(n, 1)} as created) p
      left join companies co on co.workspace_id = ${workspaceId} and co.group_id = 'g' || (n % ${companies()} + 1)`.execute(
      db,
    ),
  );
  // Each contact's touches are worked out once all its events are there (generateEvents), not
  // move by move and event by event as the triggers of migration 0020 would.
  await sql`alter table contacts disable trigger contacts_first_mql_contact_touches`.execute(db);
  await sql`alter table events disable trigger events_inserted_contact_touches`.execute(db);
  await timed('stage history', async () => {
    await sql`insert into stage_history (workspace_id, contact_id, from_stage, to_stage, at, actor, transition,
        reason, playbook_version, score_snapshot)
      select ${workspaceId}::uuid, c.id, stages[k - 1], stages[k], c.created_at + make_interval(days => 3 * (k - 1)),
        'bench', 'bench', null, 1 + (c.n % 3), jsonb_build_object('grade', c.grade, 'temperature', c.temperature)
      from (select id, grade, temperature, created_at, substr(user_id, 2)::bigint n,
          array_position(array['lead', 'mql', 'sal', 'sql', 'opportunity', 'customer'], stage) rank
        from contacts where workspace_id = ${workspaceId}) c
      cross join lateral generate_series(2, coalesce(c.rank, 3)) k,
        lateral (select array['lead', 'mql', 'sal', 'sql', 'opportunity', 'customer'] stages) s`.execute(db);
    await sql`insert into stage_history (workspace_id, contact_id, from_stage, to_stage, at, actor, transition,
        reason, playbook_version)
      select ${workspaceId}::uuid, c.id, 'sal', 'recycled', c.created_at + interval '9 days', 'bench', 'recycle',
        (array['not-ready', 'no-budget', 'bad-timing', 'no-response'])[1 + (substr(c.user_id, 2)::bigint % 4)::int], 2
      from contacts c where c.workspace_id = ${workspaceId} and c.stage = 'recycled'`.execute(db);
  });
  await timed('hand-offs and won deals', async () => {
    await sql`insert into handoffs (workspace_id, contact_id, owner, status, qualified_at, warn_at, due_at,
        first_touch_at, breached_at)
      select ${workspaceId}::uuid, h.contact_id, c.owner, 'touched', h.at, h.at + interval '18 hours',
        h.at + interval '1 day', t.touch, case when t.touch is null or t.touch > h.at + interval '1 day'
          then h.at + interval '1 day' end
      from stage_history h join contacts c on c.workspace_id = h.workspace_id and c.id = h.contact_id
      cross join lateral (select case when ${R(sql`substr(c.user_id, 2)::bigint`, 11)} < 0.9
        then h.at + make_interval(hours => 40) * ${R(sql`substr(c.user_id, 2)::bigint`, 12)} end as touch) t
      where h.workspace_id = ${workspaceId} and h.to_stage = 'mql'`.execute(db);
    await sql`insert into outcomes (workspace_id, contact_id, kind, amount, currency, at, actor)
      select ${workspaceId}::uuid, id, 'won', round((1000 + ${R(sql`substr(user_id, 2)::bigint`, 13)} * 50000)::numeric, 2),
        case when substr(user_id, 2)::bigint % 3 = 0 then 'USD' else 'EUR' end, created_at + interval '15 days', 'bench'
      from contacts where workspace_id = ${workspaceId} and stage = 'customer'`.execute(db);
  });
  await generateEvents(db, workspaceId);
  await timed('vacuum analyze', async () => {
    for (const table of [
      'companies',
      'contacts',
      'stage_history',
      'handoffs',
      'outcomes',
      'events',
      'contact_touches',
    ]) {
      await sql`vacuum analyze ${sql.table(table)}`.execute(db);
    }
  });
}

/**
 * Ten events per contact around its creation: a landing (70 % tagged with UTM parameters or
 * from another site) and later a second touch for 30 %, the rest page views within the site
 * (internal referrer: about a third of them of the pricing page, which the default playbook
 * scores, so that a backtest has MQLs to count) and track events. Built without the events
 * indexes, which are rebuilt after.
 */
async function generateEvents(db: Db, workspaceId: string): Promise<void> {
  const indexes = await sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes
    where tablename = 'events' and indexname not in ('events_message_id', 'events_pkey')`.execute(db);
  for (const index of indexes.rows) await sql`drop index ${sql.ref(index.indexname)}`.execute(db);
  const n = sql`c.n`;
  await timed(`events (${(CONTACTS * EVENTS_PER_CONTACT).toLocaleString('en')})`, () =>
    sql`insert into events (workspace_id, message_id, type, name, contact_id, properties, context, occurred_at, received_at)
      select ${workspaceId}::uuid, 'e' || c.n || '-' || k, case when k % 3 = 2 then 'track' else 'page' end,
        case when k % 3 = 2 then 'Page Engaged' end, c.id,
        case
          when (k = 0 and ${R(n, 20)} < 0.4) or (k = 5 and ${R(n, 21)} < 0.15) then jsonb_build_object(
            'path', '/lp', 'url', 'https://acme.example/lp', 'referrer', '',
            'utm_source', (array['google', 'linkedin', 'newsletter', 'bing', 'partner'])[1 + ((c.n + k) % 5)::int],
            'utm_medium', (array['cpc', 'paid-social', 'email', 'cpc', 'referral'])[1 + ((c.n + k) % 5)::int],
            'utm_campaign', 'campaign-' || ((c.n + k) % 40))
          when (k = 0 and ${R(n, 20)} < 0.7) or (k = 5 and ${R(n, 21)} < 0.3) then jsonb_build_object(
            'path', '/', 'url', 'https://acme.example/',
            'referrer', (array['https://www.google.com/', 'https://www.linkedin.com/', 'https://news.ycombinator.com/',
              'https://www.g2.com/'])[1 + ((c.n + k) % 4)::int])
          when k % 3 <> 2 and r(${n}, 30 + k::int) < 0.35 then jsonb_build_object(
            'path', '/pricing', 'url', 'https://acme.example/pricing', 'referrer', 'https://acme.example/', 'title', 'Pricing')
          else jsonb_build_object('path', '/blog/post-' || k, 'url', 'https://acme.example/blog/post-' || k,
            'referrer', 'https://acme.example/', 'title', 'A blog post')
        end,
        '{"library": {"name": "ripen.js"}}'::jsonb,
        c.created_at + make_interval(hours => 12 * k - 24), c.created_at + make_interval(hours => 12 * k - 24)
      from (select id, created_at, substr(user_id, 2)::bigint n from contacts where workspace_id = ${workspaceId}) c
      cross join generate_series(0, ${EVENTS_PER_CONTACT - 1}) k`.execute(db),
  );
  await timed('events indexes', async () => {
    for (const index of indexes.rows) await sql.raw(index.indexdef).execute(db);
  });
  await timed('contact touches', async () => {
    await sql`alter table contacts enable trigger contacts_first_mql_contact_touches`.execute(db);
    await sql`alter table events enable trigger events_inserted_contact_touches`.execute(db);
    await sql`select refresh_contact_touches(array_agg(workspace_id), array_agg(id))
      from contacts where workspace_id = ${workspaceId}`.execute(db);
  });
}

/** Inserts `count` events in batches of 500, as ingestion does (with every events index in place). */
async function insertEvents(db: Db, workspaceId: string, tag: string, count: number): Promise<number> {
  const started = performance.now();
  for (let batch = 0; batch < count / 500; batch++) {
    await sql`insert into events (workspace_id, message_id, type, contact_id, properties, context, occurred_at, received_at)
      select ${workspaceId}::uuid, ${tag} || '-' || ${batch} || '-' || i, 'page',
        (select id from contacts where workspace_id = ${workspaceId} and user_id = 'u' || (1 + i * 7919 % ${CONTACTS})),
        case when i % 10 = 0 then jsonb_build_object('url', 'https://acme.example/', 'referrer', 'https://www.google.com/')
          else jsonb_build_object('url', 'https://acme.example/blog', 'referrer', 'https://acme.example/', 'path', '/blog') end,
        '{}', now(), now()
      from generate_series(1, 500) i`.execute(db);
  }
  return ((performance.now() - started) * 1000) / count;
}

async function timeReports(db: Db, workspaceId: string, now: number): Promise<void> {
  const params = (by: Split | null): ReportParams => ({ from: now - 365 * 86_400_000, to: now, by, now });
  const reference = await machineReference(db);
  const runs: Array<[ReportName, Split | null]> = [
    ['funnel', null],
    ['funnel', 'first-touch-source'],
    ['funnel', 'last-touch-source'],
    ['funnel', 'first-touch-channel'],
    ['funnel', 'last-touch-campaign'],
    ['funnel', 'industry'],
    ['funnel', 'size'],
    ['funnel', 'owner'],
    ['funnel', 'playbook-version'],
    ['time-in-stage', null],
    ['sla', null],
    ['recycle', null],
    ['grade-temperature', null],
    ['revenue', 'first-touch-source'],
  ];
  for (const [name, by] of runs) {
    // The first run warms the cache; the second is the figure.
    await runReport(db, workspaceId, name, params(by));
    await timed(
      `report ${name}${by ? ` by ${by}` : ''}`,
      () => runReport(db, workspaceId, name, params(by)),
      reference,
    );
  }
  const cells: Array<[ReportName, Split | null, string]> = [
    ['funnel', null, 'stage=sql'],
    ['funnel', 'first-touch-source', 'group=google;stage=mql'],
    ['sla', null, 'owner=rep-3;sla=breached'],
  ];
  for (const [name, by, cell] of cells) {
    await timed(
      `leads behind ${name} ${cell} (50)`,
      async () => {
        const page = await listReportLeads(db, workspaceId, name, params(by), { cell });
        if (!page.ok) throw new Error(page.error.message);
      },
      reference,
    );
  }
  // Once more: the machine's speed may have changed while the reports ran.
  await machineReference(db);
}

async function reuse(url: string): Promise<void> {
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 2 });
  try {
    const { workspaceId } = await bootstrapWorkspace(database.db);
    await timeReports(database.db, workspaceId, Date.now());
  } finally {
    await database.close();
  }
}

/** Two backtests of the generated workspace: the lowered MQL bar, then the replay's worst case. */
async function timeBacktests(db: Db): Promise<void> {
  for (const draft of ['lower-bar', 'engagement-only'] as const) await benchBacktestOn(db, {}, draft);
}

async function benchPostgres(): Promise<void> {
  if (REUSE !== '') return reuse(REUSE);
  CONTACTS = PG_CONTACTS;
  const throwaway = await createThrowawayDatabase(PG_URL, 'ripen_bench_insight');
  const database = await openDatabase({ kind: 'postgres', url: throwaway.url, poolSize: 2 });
  try {
    const { workspaceId } = await bootstrapWorkspace(database.db);
    const now = Date.now();
    console.log(
      `bench:insight on PostgreSQL: ${CONTACTS.toLocaleString('en')} contacts, ${EVENTS_PER_CONTACT} events each`,
    );
    await generate(database.db, workspaceId, new Date(now));
    const touches = await sql<{ touches: number; events: number }>`
      select (select count(*) from events e where e.workspace_id = ${workspaceId} and ${IS_TOUCH}) as touches,
        (select count(*) from events) as events`.execute(database.db);
    console.log(`touches: ${touches.rows[0]?.touches} of ${touches.rows[0]?.events} events`);
    await timeReports(database.db, workspaceId, now);
    // Before the inserts below, so that the period ends with the generated events.
    await timeBacktests(database.db);
    const perEvent: Record<string, number[]> = { with: [], without: [], untriggered: [] };
    for (let round = 0; round < 3; round++) {
      perEvent.with?.push(await insertEvents(database.db, workspaceId, `with-${round}`, 20_000));
      await sql`alter table events disable trigger events_inserted_contact_touches`.execute(database.db);
      perEvent.untriggered?.push(await insertEvents(database.db, workspaceId, `untriggered-${round}`, 20_000));
      await sql`alter table events enable trigger events_inserted_contact_touches`.execute(database.db);
      await sql`drop index events_touches`.execute(database.db);
      perEvent.without?.push(await insertEvents(database.db, workspaceId, `without-${round}`, 20_000));
      await sql`create index events_touches on events (workspace_id, contact_id, occurred_at, id)
        where (contact_id is not null and (
          properties ?| array['utm_source', 'utm_medium', 'utm_campaign'] or context ? 'campaign'
          or split_part(coalesce(nullif(properties->>'referrer', ''), context->'page'->>'referrer'), '/', 3)
            not in ('', split_part(coalesce(properties->>'url', context->'page'->>'url', ''), '/', 3))))`.execute(
        database.db,
      );
    }
    const show = (values: number[] | undefined) => (values ?? []).map((value) => value.toFixed(1)).join(', ');
    console.log(`events insert, µs/event with the touches index and trigger: ${show(perEvent.with)}`);
    console.log(`events insert, µs/event without the touches index: ${show(perEvent.without)}`);
    console.log(`events insert, µs/event without the touches trigger: ${show(perEvent.untriggered)}`);
  } finally {
    await database.close();
    if (KEEP) console.log(`kept ${throwaway.url}`);
    else await throwaway.drop();
  }
}

/** The same data, reports and backtests on the embedded database, in a folder removed after. */
async function benchPglite(): Promise<void> {
  CONTACTS = PGLITE_CONTACTS;
  const folder = mkdtempSync(join(tmpdir(), 'ripen-bench-insight-'));
  const database = await openDatabase({ kind: 'pglite', dataDir: join(folder, 'data') });
  try {
    const { workspaceId } = await bootstrapWorkspace(database.db);
    const now = Date.now();
    console.log(
      `bench:insight on PGlite: ${CONTACTS.toLocaleString('en')} contacts, ${EVENTS_PER_CONTACT} events each`,
    );
    await generate(database.db, workspaceId, new Date(now));
    await timeReports(database.db, workspaceId, now);
    await timeBacktests(database.db);
  } finally {
    await database.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

// PostgreSQL first: the backtest's peak RSS is the whole process's, and PGlite's database lives in it.
if (ONLY !== 'pglite') await benchPostgres();
if (ONLY !== 'postgres') await benchPglite();
