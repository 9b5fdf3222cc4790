import { Type } from '@sinclair/typebox';
import { BacktestReportSchema } from '../../core/backtest/backtest-report.ts';
import { ErrorBody, failureToApiError } from '../http/api-error.ts';
import { canPublishPlaybook, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { type BacktestFailure, runBacktest } from './run-backtest.ts';

const STATUS: Record<BacktestFailure['kind'], number> = {
  'invalid-playbook': 400,
  'invalid-date': 400,
  'empty-period': 400,
  'period-too-long': 400,
  'no-playbook': 404,
};

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

/** `POST /api/backtest`: who may publish playbooks may backtest a draft against the published one. */
export function registerBacktestRoutes(app: App, deps: RouteDeps): void {
  app.post(
    '/api/backtest',
    {
      preValidation: requireKey(deps.resolveKey, canPublishPlaybook),
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
}
