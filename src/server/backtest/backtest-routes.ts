import { Type } from '@sinclair/typebox';
import { BacktestReportSchema } from '../../core/backtest/backtest-report.ts';
import { BacktestRunSchema } from '../../core/backtest/backtest-run.ts';
import { ApiError, ErrorBody, failureToApiError } from '../http/api-error.ts';
import { canPublishPlaybook, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import type { BacktestRuns, StartBacktestFailure } from './backtest-runs.ts';
import { type BacktestFailure, runBacktest } from './run-backtest.ts';

const STATUS: Record<BacktestFailure['kind'], number> = {
  'invalid-playbook': 400,
  'invalid-date': 400,
  'empty-period': 400,
  'period-too-long': 400,
  'no-playbook': 404,
};

const RUN_STATUS: Record<StartBacktestFailure['kind'], number> = { ...STATUS, 'backtest-running': 409 };

const RunParams = Type.Object({
  id: Type.String({ maxLength: 100, description: 'the id `POST /api/backtest/runs` answered' }),
});

export interface BacktestRouteDeps extends RouteDeps {
  /** The runs in the background of this process (created in app.ts, cancelled when it closes). */
  runs: BacktestRuns;
}

const BacktestBody = Type.Object({
  draft: Type.String({ minLength: 1, maxLength: 1_000_000, description: 'the draft playbook as YAML' }),
  from: Type.Optional(
    Type.String({
      description: 'start, included: a date (2026-01-01, midnight UTC) or an ISO instant; default 3 months before `to`',
    }),
  ),
  to: Type.Optional(
    Type.String({ description: 'end, excluded: a date or an ISO instant; default the start of today (UTC)' }),
  ),
  limit: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 1000, description: 'how many changed leads to list (default 100)' }),
  ),
});

/**
 * `POST /api/backtest`: who may publish playbooks may backtest a draft against the published one,
 * in one request; `/api/backtest/runs`: the same in the background, followed by polling.
 */
export function registerBacktestRoutes(app: App, deps: BacktestRouteDeps): void {
  const canBacktest = requireKey(deps.resolveKey, canPublishPlaybook);
  app.post(
    '/api/backtest',
    {
      preValidation: canBacktest,
      schema: {
        tags: ['playbook'],
        summary:
          "Replay a past period's events under a draft and the published playbook: MQLs per week, precision, recall, days to win, the leads that change class",
        body: BacktestBody,
        response: { 200: BacktestReportSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { draft, from, to, limit } = request.body;
      const result = await runBacktest(deps, workspaceOf(request), { draft, from, to }, { limit });
      if (!result.ok) throw failureToApiError(STATUS, result.error);
      return result.value;
    },
  );

  app.post(
    '/api/backtest/runs',
    {
      preValidation: canBacktest,
      schema: {
        tags: ['playbook'],
        summary:
          'Start a backtest in the background (one at a time per workspace); follow it with GET /api/backtest/runs/{id}',
        body: BacktestBody,
        response: { 202: BacktestRunSchema, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { draft, from, to, limit } = request.body;
      const result = await deps.runs.start(workspaceOf(request), { draft, from, to }, { limit });
      if (!result.ok) throw failureToApiError(RUN_STATUS, result.error);
      return reply.status(202).send(result.value);
    },
  );

  app.get(
    '/api/backtest/runs/:id',
    {
      preValidation: canBacktest,
      schema: {
        tags: ['playbook'],
        summary: "A background backtest's progress, then its report (kept for an hour after it finishes)",
        params: RunParams,
        response: { 200: BacktestRunSchema, 404: ErrorBody },
      },
    },
    async (request) => deps.runs.find(workspaceOf(request), request.params.id) ?? runNotFound(request.params.id),
  );

  app.delete(
    '/api/backtest/runs/:id',
    {
      preValidation: canBacktest,
      schema: {
        tags: ['playbook'],
        summary: 'Cancel a background backtest: it stops after the page of contacts in hand',
        params: RunParams,
        response: { 200: BacktestRunSchema, 404: ErrorBody },
      },
    },
    async (request) => deps.runs.cancel(workspaceOf(request), request.params.id) ?? runNotFound(request.params.id),
  );
}

function runNotFound(id: string): never {
  throw new ApiError(
    404,
    'not_found',
    `no backtest run ${id} in this workspace: runs are kept for an hour after they finish`,
  );
}
