import { PlaybookSuggestionSchema } from '../../core/suggest/suggestion-view.ts';
import { ErrorBody, failureToApiError } from '../http/api-error.ts';
import { canPublishPlaybook, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { type SuggestionFailure, suggestPlaybook } from './suggest-playbook.ts';

const STATUS: Record<SuggestionFailure['kind'], number> = {
  'no-playbook': 404,
  too_few_outcomes: 422,
  too_few_positives: 422,
  no_usable_columns: 422,
  'not-predictive': 422,
};

/** `POST /api/playbook/suggestion`: point values learned from outcomes, as a draft to backtest. */
export function registerSuggestionRoutes(app: App, deps: RouteDeps): void {
  app.post(
    '/api/playbook/suggestion',
    {
      preValidation: requireKey(deps.resolveKey, canPublishPlaybook),
      schema: {
        tags: ['playbook'],
        summary:
          "Suggest points for the published playbook's fit and engagement rules from the won and lost leads, with the draft YAML to backtest",
        response: { 200: PlaybookSuggestionSchema, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => {
      const result = await suggestPlaybook(deps, workspaceOf(request));
      if (!result.ok) throw failureToApiError(STATUS, result.error);
      return result.value;
    },
  );
}
