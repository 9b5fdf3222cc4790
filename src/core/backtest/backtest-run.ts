import { type Static, Type } from '@sinclair/typebox';
import { BacktestReportSchema } from './backtest-report.ts';

export const BACKTEST_RUN_STATUSES = ['running', 'done', 'failed', 'cancelled'] as const;
export type BacktestRunStatus = (typeof BACKTEST_RUN_STATUSES)[number];

/**
 * A backtest replayed in the background (`POST /api/backtest/runs`, docs/backtest.md), as
 * `GET /api/backtest/runs/{id}` answers it: how far it got, then its report or why it stopped.
 */
export const BacktestRunSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  status: Type.Union(BACKTEST_RUN_STATUSES.map((status) => Type.Literal(status))),
  done: Type.Integer({ description: 'contacts replayed so far' }),
  total: Type.Integer({ description: "the workspace's contacts (0 until they are counted)" }),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Optional(Type.String({ format: 'date-time', description: 'once done, failed or cancelled' })),
  report: Type.Optional(BacktestReportSchema),
  error: Type.Optional(Type.String({ description: 'why a failed run stopped, and what to do' })),
});
export type BacktestRun = Static<typeof BacktestRunSchema>;
