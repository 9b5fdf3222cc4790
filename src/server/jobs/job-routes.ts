import { Type } from '@sinclair/typebox';
import { assertUnreachable } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { ApiError, ErrorBody } from '../http/api-error.ts';
import { canManage, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import { IntegerId } from '../http/schema-helpers.ts';
import type { KeyResolver } from '../workspaces/api-keys.ts';
import { countQueues, QueueCounts } from './count-queues.ts';
import { JobStatusSchema, JobView } from './job-view.ts';
import { listJobs } from './list-jobs.ts';
import { type RetryJobError, retryJob } from './retry-job.ts';

export interface JobRouteDeps {
  db: Db;
  clock: () => number;
  resolveKey: KeyResolver;
}

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

function retryError(id: number, error: RetryJobError): ApiError {
  switch (error.kind) {
    case 'not_found':
      return new ApiError(404, 'not_found', `no job with id ${id}`);
    case 'not_failed':
      return new ApiError(409, 'job_not_failed', `job ${id} is ${error.status}; only failed jobs can be retried`);
    default:
      return assertUnreachable(error);
  }
}

export function registerJobRoutes(app: App, deps: JobRouteDeps): void {
  const authenticate = requireKey(deps.resolveKey, canManage);
  const tags = ['jobs'];

  app.get(
    '/api/jobs',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Background jobs, newest first: filter by status to see failures and what waits',
        querystring: Type.Object({
          status: Type.Optional(JobStatusSchema),
          kind: Type.Optional(Type.String({ maxLength: 100 })),
          cursor: Type.Optional(Type.String()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(JobView), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errors,
        },
      },
    },
    async (request) => listJobs(deps.db, workspaceOf(request), request.query),
  );

  app.post(
    '/api/jobs/:id/retry',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Put a failed job back in the queue, due now, with its attempts reset',
        params: Type.Object({ id: IntegerId }),
        response: { 200: JobView, ...errors },
      },
    },
    async (request) => {
      const result = await retryJob(deps.db, workspaceOf(request), request.params.id, deps.clock());
      if (!result.ok) throw retryError(request.params.id, result.error);
      return result.value;
    },
  );

  app.get(
    '/api/queues',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Backlog of the score queue, the job queue and webhook deliveries',
        response: { 200: QueueCounts, ...errors },
      },
    },
    async (request) => countQueues(deps.db, workspaceOf(request)),
  );
}
