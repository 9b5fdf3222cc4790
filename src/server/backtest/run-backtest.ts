import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { sql } from 'kysely';
import { type BacktestPeriod, parseBacktestPeriod } from '../../core/backtest/backtest-period.ts';
import type { BacktestReport } from '../../core/backtest/backtest-report.ts';
import { readsEventContext } from '../../core/backtest/reads-event-context.ts';
import { replayLead } from '../../core/backtest/replay-lead.ts';
import {
  createBacktestTally,
  summarizeBacktest,
  tallyAlreadyCustomer,
  tallyLead,
} from '../../core/backtest/tally-backtest.ts';
import { type CompiledPlaybook, compilePlaybook } from '../../core/playbook/compile-playbook.ts';
import { parsePlaybook } from '../../core/playbook/parse-playbook.ts';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import type { ServiceDeps } from '../http/route-deps.ts';
import { earliestCountable } from '../scoring/score-contacts.ts';
import { type BacktestWindow, streamBacktestPages } from './stream-backtest-pages.ts';

export interface BacktestRequest {
  /** The draft playbook as YAML. */
  draft: string;
  /** A date (`2026-01-31`) or an ISO instant; default three months before `to`. */
  from?: string;
  /** Excluded; default the start of today (UTC). */
  to?: string;
}

export type BacktestFailure = Failure<
  'invalid-playbook' | 'invalid-date' | 'empty-period' | 'period-too-long' | 'no-playbook'
>;

export interface BacktestOptions {
  /** Contacts per keyset page (default 1,000). */
  pageSize?: number;
  /** How many changed leads the report lists (default 100). */
  limit?: number;
  /** Called once the contacts are counted, then after each page, with the contacts done and the workspace's total. */
  onProgress?: (progress: { done: number; total: number }) => void;
  /** Checked after each page: once aborted, the backtest stops and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** A backtest ready to replay: the draft and the period checked, the published playbook found. */
export interface PreparedBacktest {
  workspaceId: string;
  published: CompiledPlaybook;
  draft: CompiledPlaybook;
  period: BacktestPeriod;
}

/** A draft never published: what the backtest compiles it as. */
const DRAFT_VERSION = 0;

/**
 * Replays a period of the workspace's history under the draft and under the published playbook
 * (docs/backtest.md): contacts stream by keyset pages with their events and outcomes, each is
 * replayed under both (`replayLead`), and only running totals stay in memory. Reads only.
 * Rejects with `options.signal`'s reason once it is aborted.
 */
export async function runBacktest(
  deps: ServiceDeps,
  workspaceId: string,
  request: BacktestRequest,
  options: BacktestOptions = {},
): Promise<Result<BacktestReport, BacktestFailure>> {
  const prepared = await prepareBacktest(deps, workspaceId, request);
  if (!prepared.ok) return prepared;
  return ok(await replayBacktest(deps, prepared.value, options));
}

/** What a backtest answers at once, before any replay: a draft or period to fix, or no published playbook. */
export async function prepareBacktest(
  deps: ServiceDeps,
  workspaceId: string,
  request: BacktestRequest,
): Promise<Result<PreparedBacktest, BacktestFailure>> {
  const parsed = parsePlaybook(request.draft);
  if (!parsed.ok) {
    const message = parsed.error[0]?.message ?? 'invalid playbook';
    return err({ kind: 'invalid-playbook', message, details: parsed.error });
  }
  const period = parseBacktestPeriod(request, deps.clock());
  if (!period.ok) return period;
  const published = await deps.playbooks.active(workspaceId);
  if (published === null) {
    return err({
      kind: 'no-playbook',
      message: 'no playbook published yet: publish one, then backtest drafts against it',
    });
  }
  return ok({ workspaceId, published, draft: compilePlaybook(parsed.value, DRAFT_VERSION), period: period.value });
}

/** The replay of a prepared backtest (see `runBacktest`). */
export async function replayBacktest(
  deps: ServiceDeps,
  prepared: PreparedBacktest,
  options: BacktestOptions = {},
): Promise<BacktestReport> {
  const { workspaceId, published, draft, period } = prepared;
  const tally = await replayWorkspace(deps, workspaceId, { published, draft }, period, options);
  return summarizeBacktest(tally, {
    published: { version: published.version, name: published.document.name },
    draft: { name: draft.document.name },
  });
}

async function replayWorkspace(
  deps: ServiceDeps,
  workspaceId: string,
  playbooks: { published: CompiledPlaybook; draft: CompiledPlaybook },
  period: { from: number; to: number },
  options: BacktestOptions,
) {
  const { published, draft } = playbooks;
  const both = { published, draft, same: JSON.stringify(published.document) === JSON.stringify(draft.document) };
  const window: BacktestWindow = {
    ...period,
    since: Math.min(earliestCountable(published, period.from), earliestCountable(draft, period.from)),
    context: readsEventContext(published.document) || readsEventContext(draft.document),
  };
  const total = options.onProgress ? await countContacts(deps, workspaceId) : 0;
  options.onProgress?.({ done: 0, total });
  options.signal?.throwIfAborted();
  const tally = createBacktestTally(period, options.limit);
  let done = 0;
  for await (const leads of streamBacktestPages(deps.db, workspaceId, window, options.pageSize ?? 1000)) {
    for (const [index, lead] of leads.entries()) {
      // Other requests get a turn between chunks, as in rescoring.
      if (index % 64 === 63) await yieldToEventLoop();
      const replayed = replayLead(both, lead, period);
      if (replayed === null) tallyAlreadyCustomer(tally);
      else tallyLead(tally, replayed);
    }
    done += leads.length;
    options.onProgress?.({ done, total: Math.max(total, done) });
    // Leaving the loop closes the stream: the pages it is reading ahead finish and are dropped.
    options.signal?.throwIfAborted();
  }
  return tally;
}

async function countContacts(deps: ServiceDeps, workspaceId: string): Promise<number> {
  const result = await sql<{ n: string | number }>`
    select count(*) as n from contacts where workspace_id = ${workspaceId}`.execute(deps.db);
  return Number(result.rows[0]?.n ?? 0);
}
