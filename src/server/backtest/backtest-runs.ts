import { randomUUID } from 'node:crypto';
import type { BacktestReport } from '../../core/backtest/backtest-report.ts';
import type { BacktestRun, BacktestRunStatus } from '../../core/backtest/backtest-run.ts';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import type { ServiceDeps } from '../http/route-deps.ts';
import { describeJobError } from '../jobs/fail-job.ts';
import {
  type BacktestFailure,
  type BacktestRequest,
  type PreparedBacktest,
  prepareBacktest,
  replayBacktest,
} from './run-backtest.ts';

/** How long a finished run stays readable. */
export const KEEP_FINISHED_MS = 3_600_000;

export type StartBacktestFailure = BacktestFailure | Failure<'backtest-running'>;

/** Backtests replayed in the background of this process, one at a time per workspace (docs/backtest.md). */
export interface BacktestRuns {
  /** Checks the draft and the period, then starts the replay and answers at once. */
  start(
    workspaceId: string,
    request: BacktestRequest,
    options?: { limit?: number },
  ): Promise<Result<BacktestRun, StartBacktestFailure>>;
  /** The workspace's run, or null: unknown, another workspace's, or finished more than an hour ago. */
  find(workspaceId: string, id: string): BacktestRun | null;
  /** Cancels a running run (its replay stops after the page in hand); a finished one is answered as it is. */
  cancel(workspaceId: string, id: string): BacktestRun | null;
  /** Cancels every running run and waits until their replays have stopped: for shutting down. */
  close(): Promise<void>;
}

export interface BacktestRunsDeps extends ServiceDeps {
  /** Where a failed run is logged (the app's logger). */
  log: { error(details: object, message: string): void };
}

interface Run {
  id: string;
  workspaceId: string;
  status: BacktestRunStatus;
  done: number;
  total: number;
  startedAt: number;
  finishedAt: number | null;
  report: BacktestReport | null;
  error: string | null;
  stop: AbortController;
  /** Settles (never rejects) when the replay has stopped. */
  replay: Promise<void>;
}

const FAILED =
  'the backtest stopped because reading the history from the database failed; start it again, and if it fails again the server log has the cause';

/**
 * The runs live in memory only: a restart forgets them, and the web app starts again. Finished
 * runs are forgotten an hour after they finished, looked at on every call (no timer to stop).
 */
export function createBacktestRuns(deps: BacktestRunsDeps): BacktestRuns {
  const runs = new Map<string, Run>();
  let closed = false;

  const forgetOld = () => {
    const now = deps.clock();
    for (const [id, run] of runs) {
      if (run.finishedAt !== null && now - run.finishedAt >= KEEP_FINISHED_MS) runs.delete(id);
    }
  };
  const ownRun = (workspaceId: string, id: string) => {
    forgetOld();
    const run = runs.get(id);
    return run?.workspaceId === workspaceId ? run : null;
  };
  const finish = (
    run: Run,
    status: Exclude<BacktestRunStatus, 'running'>,
    outcome: Partial<Pick<Run, 'report' | 'error'>> = {},
  ) => {
    if (run.status !== 'running') return;
    Object.assign(run, outcome, { status, finishedAt: deps.clock() });
  };

  async function replay(run: Run, prepared: PreparedBacktest, limit: number | undefined): Promise<void> {
    const onProgress = ({ done, total }: { done: number; total: number }) => {
      if (run.status !== 'running') return;
      run.done = done;
      run.total = total;
    };
    try {
      const report = await replayBacktest(deps, prepared, { limit, onProgress, signal: run.stop.signal });
      finish(run, 'done', { report });
    } catch (error) {
      // A cancelled run may fail on its way out (the database closing at shutdown): still cancelled.
      if (run.stop.signal.aborted) {
        finish(run, 'cancelled');
        return;
      }
      // The message only: error objects may carry the statement's parameters.
      deps.log.error(
        { backtestRun: run.id, workspaceId: run.workspaceId, err: { message: describeJobError(error) } },
        'backtest run failed',
      );
      finish(run, 'failed', { error: FAILED });
    }
  }

  return {
    async start(workspaceId, request, options = {}) {
      const prepared = await prepareBacktest(deps, workspaceId, request);
      if (!prepared.ok) return prepared;
      forgetOld();
      const busy = [...runs.values()].find((run) => run.workspaceId === workspaceId && run.status === 'running');
      if (busy) {
        return err({
          kind: 'backtest-running',
          message: `a backtest is already running in this workspace (run ${busy.id}): follow it at GET /api/backtest/runs/${busy.id}, or cancel it first`,
          details: { id: busy.id },
        });
      }
      const run: Run = {
        id: randomUUID(),
        workspaceId,
        status: 'running',
        done: 0,
        total: 0,
        startedAt: deps.clock(),
        finishedAt: null,
        report: null,
        error: null,
        stop: new AbortController(),
        replay: Promise.resolve(),
      };
      runs.set(run.id, run);
      // A start that was checking its draft while the server began to close is cancelled at once.
      if (closed) finish(run, 'cancelled');
      else run.replay = replay(run, prepared.value, options.limit);
      return ok(describeRun(run));
    },
    find(workspaceId, id) {
      const run = ownRun(workspaceId, id);
      return run && describeRun(run);
    },
    cancel(workspaceId, id) {
      const run = ownRun(workspaceId, id);
      if (run === null) return null;
      if (run.status === 'running') {
        run.stop.abort();
        finish(run, 'cancelled');
      }
      return describeRun(run);
    },
    async close() {
      closed = true;
      for (const run of runs.values()) {
        run.stop.abort();
        finish(run, 'cancelled');
      }
      // Also the replays of runs cancelled earlier, which may still be reading their last page.
      await Promise.all([...runs.values()].map((run) => run.replay));
    },
  };
}

function describeRun(run: Run): BacktestRun {
  return {
    id: run.id,
    status: run.status,
    done: run.done,
    total: run.total,
    startedAt: new Date(run.startedAt).toISOString(),
    ...(run.finishedAt === null ? {} : { finishedAt: new Date(run.finishedAt).toISOString() }),
    ...(run.report === null ? {} : { report: run.report }),
    ...(run.error === null ? {} : { error: run.error }),
  };
}
