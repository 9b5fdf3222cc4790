import { Type } from '@sinclair/typebox';
import { assertUnreachable } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { ApiError, ErrorBody } from '../http/api-error.ts';
import { canManage, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import { IntegerId, Nullable } from '../http/schema-helpers.ts';
import type { KeyResolver } from '../workspaces/api-keys.ts';
import { deleteWebhookEndpoint } from './delete-webhook-endpoint.ts';
import { WEBHOOK_EVENT_TYPES } from './enqueue-webhook.ts';
import { findWebhookSecret } from './find-webhook-secret.ts';
import { listWebhookDeliveries } from './list-webhook-deliveries.ts';
import { listWebhookEndpoints } from './list-webhook-endpoints.ts';
import { type ReplayError, replayWebhookDelivery } from './replay-webhook-delivery.ts';
import { createWebhookEndpoint, updateWebhookEndpoint, type WebhookEndpointError } from './save-webhook-endpoint.ts';
import { sendTestWebhook, type TestWebhookError } from './send-test-webhook.ts';
import { DeliveryStatusSchema, WebhookDeliveryView, WebhookEndpointView } from './webhook-views.ts';
import type { WebhookWorker } from './webhook-worker.ts';

export interface WebhookRouteDeps {
  db: Db;
  clock: () => number;
  resolveKey: KeyResolver;
  /** RIPEN_WEBHOOK_ALLOW entries. */
  allowList: readonly string[];
  /** Kicked after a replay or a test, so they go out at once rather than at the next poll. */
  webhooks: Pick<WebhookWorker, 'kick'>;
}

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'http(s) URL that receives the POSTs' });
// Null first: with coerceTypes, ajv would turn a null into '' for a string-first union.
const Description = Type.Union([Type.Null(), Type.String({ maxLength: 500 })]);
const EventTypes = Type.Array(Type.String({ maxLength: 100 }), {
  maxItems: 50,
  description: `event types to send, any of ${WEBHOOK_EVENT_TYPES.join(', ')}; empty or absent means every type`,
});
const Secret = Type.String({ description: '`whsec_…`: verify the `webhook-signature` header with it' });
const Queued = Type.Object({ messageId: Type.String(), deliveryId: Type.Integer() });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Maps the expected failures of the webhook functions to the API's one error shape. */
function toApiError(error: WebhookEndpointError | ReplayError | TestWebhookError): ApiError {
  switch (error.kind) {
    case 'not-found':
      return new ApiError(404, 'not_found', error.message);
    case 'endpoint-disabled':
      return new ApiError(409, 'endpoint_disabled', error.message);
    case 'invalid-url':
      return new ApiError(400, 'invalid_webhook_url', error.message);
    case 'invalid-event-types':
      return new ApiError(400, 'invalid_event_types', error.message, { valid: WEBHOOK_EVENT_TYPES });
    default:
      return assertUnreachable(error);
  }
}

function notFound(id: string): ApiError {
  return new ApiError(404, 'not_found', `no webhook endpoint with id ${id}`);
}

export function registerWebhookRoutes(app: App, deps: WebhookRouteDeps): void {
  const authenticate = requireKey(deps.resolveKey, canManage);
  const tags = ['webhooks'];
  const saveOptions = () => ({ allowList: deps.allowList, now: deps.clock() });

  app.post(
    '/api/webhooks',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Add a webhook endpoint; the answer holds its signing secret',
        body: Type.Object(
          { url: Url, description: Type.Optional(Description), eventTypes: Type.Optional(EventTypes) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Composite([WebhookEndpointView, Type.Object({ secret: Secret })]), ...errors },
      },
    },
    async (request, reply) => {
      const created = await createWebhookEndpoint(deps.db, workspaceOf(request), request.body, saveOptions());
      if (!created.ok) throw toApiError(created.error);
      return reply.status(201).send({ ...created.value.endpoint, secret: created.value.secret });
    },
  );

  app.get(
    '/api/webhooks',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'List webhook endpoints (without secrets)',
        response: { 200: Type.Object({ items: Type.Array(WebhookEndpointView) }), ...errors },
      },
    },
    async (request) => ({ items: await listWebhookEndpoints(deps.db, workspaceOf(request)) }),
  );

  app.get(
    '/api/webhooks/:id/secret',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: "An endpoint's signing secret",
        params: Id,
        response: { 200: Type.Object({ secret: Secret }), ...errors },
      },
    },
    async (request) => {
      const secret = await findWebhookSecret(deps.db, workspaceOf(request), request.params.id);
      if (secret === null) throw notFound(request.params.id);
      return { secret };
    },
  );

  app.patch(
    '/api/webhooks/:id',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Change an endpoint; `enabled: true` resumes one that Ripen disabled',
        params: Id,
        body: Type.Object(
          {
            url: Type.Optional(Url),
            description: Type.Optional(Description),
            eventTypes: Type.Optional(EventTypes),
            enabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: WebhookEndpointView, ...errors },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const updated = await updateWebhookEndpoint(deps.db, workspaceId, request.params.id, request.body, saveOptions());
      if (!updated.ok) throw toApiError(updated.error);
      return updated.value;
    },
  );

  app.delete(
    '/api/webhooks/:id',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Delete an endpoint and its deliveries',
        params: Id,
        response: { 204: Type.Null({ description: 'deleted' }), ...errors },
      },
    },
    async (request, reply) => {
      if (!(await deleteWebhookEndpoint(deps.db, workspaceOf(request), request.params.id))) {
        throw notFound(request.params.id);
      }
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/webhooks/:id/deliveries',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: "An endpoint's deliveries, newest first, with cursor pagination",
        params: Id,
        querystring: Type.Object({
          status: Type.Optional(DeliveryStatusSchema),
          cursor: Type.Optional(Type.String()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(WebhookDeliveryView), nextCursor: Nullable(Type.String()) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const page = await listWebhookDeliveries(deps.db, workspaceOf(request), request.params.id, request.query);
      if (page === null) throw notFound(request.params.id);
      return page;
    },
  );

  app.post(
    '/api/webhooks/deliveries/:deliveryId/replay',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Send a delivered or failed message again, as a new delivery with the same webhook-id',
        params: Type.Object({ deliveryId: IntegerId }),
        response: { 202: WebhookDeliveryView, ...errors },
      },
    },
    async (request, reply) => {
      const workspaceId = workspaceOf(request);
      const replayed = await replayWebhookDelivery(deps.db, workspaceId, request.params.deliveryId, deps.clock());
      if (!replayed.ok) throw toApiError(replayed.error);
      deps.webhooks.kick();
      return reply.status(202).send(replayed.value);
    },
  );

  app.post(
    '/api/webhooks/:id/test',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Send a `webhook.test` message to this endpoint',
        params: Id,
        response: { 202: Queued, ...errors },
      },
    },
    async (request, reply) => {
      const sent = await sendTestWebhook(deps.db, workspaceOf(request), request.params.id, deps.clock());
      if (!sent.ok) throw toApiError(sent.error);
      deps.webhooks.kick();
      return reply.status(202).send(sent.value);
    },
  );
}
