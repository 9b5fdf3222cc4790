import { Type } from '@sinclair/typebox';
import { ApiError, ErrorBody, failureToApiError } from '../http/api-error.ts';
import { canPublishPlaybook, canWorkLeads, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { Nullable, OneOf } from '../http/schema-helpers.ts';
import { enqueueJob } from '../jobs/enqueue-job.ts';
import { PREDICTIVE_TRAINING } from '../jobs/recurring-schedule.ts';
import { explainContactPrediction, latestModelRun } from './predictive-models.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

const ModelRunView = Type.Object({
  version: Type.Integer(),
  status: OneOf(['trained', 'refused'] as const),
  trainedAt: Type.String({ format: 'date-time' }),
  outcomes: Type.Integer({ description: 'contacts with a known outcome it learnt from' }),
  positives: Type.Integer({ description: 'of them, won' }),
  message: Nullable(Type.String({ description: 'why the run refused to train' })),
  predicted: Type.Integer({ description: 'contacts it wrote a probability to' }),
  report: Nullable(
    Type.Record(Type.String(), Type.Unknown(), {
      description:
        'measures (cross-validation, held-out fold, out-of-time split: AUC, log-loss, calibration, lift by decile), columns used and skipped, probable leaks, top factors',
    }),
  ),
});

const PredictionView = Type.Object({
  contactId: Type.String(),
  version: Type.Integer(),
  trainedAt: Type.String({ format: 'date-time' }),
  probability: Type.Number(),
  logOdds: Type.Number(),
  stored: Type.Object({ probability: Nullable(Type.Number()), version: Nullable(Type.Integer()) }),
  baseline: Type.Number(),
  baselineLogOdds: Type.Number(),
  factors: Type.Array(
    Type.Object({
      column: Type.String(),
      value: Nullable(Type.Union([Type.String(), Type.Number()])),
      effect: Type.Number({ description: 'log-odds added by this column' }),
    }),
  ),
  asOf: Type.String({ format: 'date-time' }),
});

/** The predictive model's latest run, retraining on demand, and a contact's explained probability. */
export function registerPredictiveRoutes(app: App, deps: RouteDeps): void {
  const reader = requireKey(deps.resolveKey, canWorkLeads);
  const trainer = requireKey(deps.resolveKey, canPublishPlaybook);
  const tags = ['predictive'];

  app.get(
    '/api/predictive/model',
    {
      preValidation: reader,
      schema: { tags, summary: 'The latest training run and its report', response: { 200: ModelRunView, ...errors } },
    },
    async (request) => {
      const run = await latestModelRun(deps.db, workspaceOf(request));
      if (!run)
        throw new ApiError(
          404,
          'no_model',
          'no predictive model is trained yet: train one with POST /api/predictive/train or `ripen train`',
        );
      return run;
    },
  );

  app.post(
    '/api/predictive/train',
    {
      preValidation: trainer,
      schema: {
        tags,
        summary: 'Retrain the model now (a background job); GET /api/predictive/model shows the new version',
        response: { 202: Type.Object({ queued: Type.Boolean() }), ...errors },
      },
    },
    async (request, reply) => {
      const now = deps.clock();
      const queued = await enqueueJob(deps.db, {
        workspaceId: workspaceOf(request),
        kind: PREDICTIVE_TRAINING,
        runAt: now,
        dedupeKey: `manual:${Math.floor(now / 10_000)}`,
        maxAttempts: 2,
      });
      return reply.code(202).send({ queued });
    },
  );

  app.get(
    '/api/contacts/:id/prediction',
    {
      preValidation: reader,
      schema: {
        tags,
        summary: "A contact's probability of a win and the factors that raised or lowered it",
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: PredictionView, ...errors },
      },
    },
    async (request) => {
      const explained = await explainContactPrediction(deps.db, workspaceOf(request), request.params.id, deps.clock());
      if (!explained.ok) throw failureToApiError({ 'not-found': 404, 'no-model': 404 }, explained.error);
      return explained.value;
    },
  );
}
