/**
 * `tsx bench/backtest.ts <database url>`: how long a backtest takes over a large workspace, and
 * the process's peak RSS, printed, never asserted. The database must already hold the data, e.g.
 * the one `BENCH_KEEP=1 tsx bench/insight.ts` generates (1,000,000 contacts, ten events each);
 * bench/insight.ts may call `benchBacktest` itself on the database it generated.
 *   BENCH_FROM / BENCH_TO: the period (default: the three months before the newest event);
 *   BENCH_MONTHS: its length when BENCH_FROM is not given.
 *   BENCH_DRAFT: `lower-bar` (default: the published playbook with its MQL bar lowered, engagement
 *   50 → 35) or `engagement-only` (one criterion, `engagement >= 35`, that any lead may meet: every
 *   event of the period is rescored under the draft, the replay's worst case) or `low-engagement`
 *   (`engagement >= 3`: most leads qualify, the list of changed leads is long).
 */
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { monthsBefore } from '../src/core/backtest/backtest-period.ts';
import type { BacktestReport } from '../src/core/backtest/backtest-report.ts';
import { runBacktest } from '../src/server/backtest/run-backtest.ts';
import { bootstrapWorkspace } from '../src/server/bootstrap-workspace.ts';
import { type Db, openDatabase } from '../src/server/db/open-database.ts';
import { createPlaybookStore, latestPlaybookVersion } from '../src/server/playbooks/playbook-store.ts';

export interface BacktestBenchResult {
  seconds: number;
  /** CPU time of this process (user + system) during the run: the replay's share, apart from PostgreSQL's. */
  cpuSeconds: number;
  /** process.resourceUsage().maxRSS, in MB: the peak of the whole process. */
  peakRssMb: number;
  contacts: number;
  report: BacktestReport;
}

export type BenchDraft = 'lower-bar' | 'engagement-only' | 'low-engagement';

/** The draft made from the published playbook: its MQL bar lowered, or engagement alone as the bar. */
function draftOf(source: string, draft: BenchDraft): string {
  const criteria = /^mql:\n {2}criteria:\n(?: {4}.*\n| {6}.*\n)+/m;
  const only = (when: string) => `mql:\n  criteria:\n    - id: engaged\n      when: ${when}\n`;
  const edited =
    draft === 'lower-bar'
      ? source.replace(/engagement >= 50/g, 'engagement >= 35')
      : source.replace(criteria, only(draft === 'engagement-only' ? 'engagement >= 35' : 'engagement >= 3'));
  if (edited === source) throw new Error(`cannot make the ${draft} draft from the published playbook`);
  return edited;
}

async function newestEvent(db: Db, workspaceId: string): Promise<number> {
  const row = await sql<{ at: Date | null }>`
    select max(occurred_at) as at from events where workspace_id = ${workspaceId}`.execute(db);
  return row.rows[0]?.at?.getTime() ?? Date.now();
}

/**
 * Runs one backtest of the first workspace of the PostgreSQL database at `url` and prints elapsed
 * seconds, peak RSS and the headline figures. `period` defaults to the three months before the newest event.
 */
export async function benchBacktest(
  url: string,
  period: BenchPeriod = {},
  draft: BenchDraft = 'lower-bar',
): Promise<BacktestBenchResult> {
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 2 });
  try {
    return await benchBacktestOn(database.db, period, draft);
  } finally {
    await database.close();
  }
}

export interface BenchPeriod {
  from?: string;
  to?: string;
  months?: number;
}

/** `benchBacktest` on an open database (bench/insight.ts runs it on the one it generated, PGlite too). */
export async function benchBacktestOn(
  db: Db,
  period: BenchPeriod = {},
  draft: BenchDraft = 'lower-bar',
): Promise<BacktestBenchResult> {
  const { workspaceId } = await bootstrapWorkspace(db);
  const published = await latestPlaybookVersion(db, workspaceId);
  if (!published) throw new Error('the workspace has no published playbook');
  const to =
    period.to ?? new Date(Math.floor((await newestEvent(db, workspaceId)) / 86_400_000 + 1) * 86_400_000).toISOString();
  const from = period.from ?? new Date(monthsBefore(Date.parse(to), period.months ?? 3)).toISOString();
  const deps = { db, playbooks: createPlaybookStore(db), clock: Date.now };
  let contacts = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await runBacktest(
    deps,
    workspaceId,
    { draft: draftOf(published.source, draft), from, to },
    {
      onProgress: ({ done }) => {
        contacts = done;
      },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  if (!result.ok) throw new Error(result.error.message);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const { columns } = result.value;
  console.log(`bench:backtest ${from} .. ${to}, ${draft} draft: ${contacts.toLocaleString('en')} contacts`);
  console.log(`  elapsed ${seconds.toFixed(1)} s, ${Math.round(contacts / seconds).toLocaleString('en')} contacts/s`);
  console.log(`  CPU of this process ${cpuSeconds.toFixed(1)} s; peak RSS ${peakRssMb} MB`);
  console.log(
    `  MQLs published ${columns.published.mqls}, draft ${columns.draft.mqls}; changed ${result.value.changed.total}`,
  );
  return { seconds, cpuSeconds, peakRssMb, contacts, report: result.value };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.argv[2] ?? process.env.BENCH_REUSE;
  if (!url) throw new Error('usage: tsx bench/backtest.ts <postgres url of a generated workspace>');
  const months = process.env.BENCH_MONTHS ? Number(process.env.BENCH_MONTHS) : undefined;
  const drafts: BenchDraft[] = ['lower-bar', 'engagement-only', 'low-engagement'];
  const draft = drafts.find((each) => each === process.env.BENCH_DRAFT) ?? 'lower-bar';
  await benchBacktest(url, { from: process.env.BENCH_FROM, to: process.env.BENCH_TO, months }, draft);
}
