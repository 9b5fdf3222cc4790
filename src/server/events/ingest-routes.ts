import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { dropProtectedTraits } from '../../core/ingest/protected-traits.ts';
import type { MessageType } from '../../core/ingest/segment-message.ts';
import { ApiError, ErrorBody, failureToApiError } from '../http/api-error.ts';
import { canIngest, identityOf, requireKey, workspaceOf } from '../http/auth.ts';
import { decompressBody } from '../http/decompress-body.ts';
import type { App } from '../http/fastify-types.ts';
import type { KeyResolver } from '../workspaces/api-keys.ts';
import { MAX_BATCH_BYTES, MAX_EVENT_BYTES } from './accept-messages.ts';
import { allowCrossOriginIngest } from './ingest-cors.ts';
import { type ReceiveDeps, type ReceiveFailure, receiveMessages } from './receive-messages.ts';

const IngestResponse = Type.Object({
  success: Type.Boolean(),
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  errors: Type.Array(
    Type.Object({
      index: Type.Integer(),
      messageId: Type.Union([Type.String(), Type.Null()]),
      code: Type.String(),
      message: Type.String(),
    }),
  ),
});

const RESPONSES = {
  200: IngestResponse,
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
  429: ErrorBody,
};

/** The HTTP status of each way a whole ingestion request can fail (nothing of it stored). */
const STATUS: Record<ReceiveFailure['kind'], number> = {
  'no-playbook': 409,
  overloaded: 429,
};

/**
 * Segment HTTP tracking API: /v1/track, /v1/identify, /v1/page, /v1/group and /v1/batch.
 * Bodies may be compressed (gzip, deflate, br) and are JSON under any content type: Segment's
 * browser library sends `text/plain` to spare the CORS preflight.
 */
export async function registerIngestRoutes(app: App, deps: ReceiveDeps & { resolveKey: KeyResolver }): Promise<void> {
  await app.register(async (scope: App) => {
    // Every body is read as JSON, whatever its declared type: Segment's browser library says
    // text/plain, RudderStack's Node library x-www-form-urlencoded (for gzipped JSON).
    const parseJson = scope.getDefaultJsonParser('error', 'error');
    scope.removeContentTypeParser('text/plain');
    scope.addContentTypeParser('text/plain', { parseAs: 'string' }, parseJson);
    scope.addContentTypeParser('*', { parseAs: 'string' }, parseJson);
    scope.addHook('preParsing', decompressBody);
    allowCrossOriginIngest(scope);
    registerIngestRoutesIn(scope, deps);
  });
}

/** Public write keys may not set protected traits (core/ingest/protected-traits.ts). */
function fromWriteKey(request: FastifyRequest): boolean {
  return identityOf(request).kind === 'write';
}

function registerIngestRoutesIn(app: App, deps: ReceiveDeps & { resolveKey: KeyResolver }): void {
  const authenticate = requireKey(deps.resolveKey, canIngest);
  const single: MessageType[] = ['track', 'identify', 'page', 'group'];
  for (const type of single) {
    app.post(
      `/v1/${type}`,
      {
        bodyLimit: MAX_EVENT_BYTES,
        preValidation: authenticate,
        schema: {
          tags: ['ingestion'],
          summary: `Segment-compatible ${type} call`,
          body: Type.Object({}, { additionalProperties: true }),
          response: RESPONSES,
        },
      },
      async (request) => {
        const body = fromWriteKey(request) ? dropProtectedTraits(request.body) : request.body;
        const received = await receiveMessages(deps, workspaceOf(request), [body], type, 'api');
        if (!received.ok) throw failureToApiError(STATUS, received.error);
        const result = received.value;
        // A single call's invalid message fails the call; its per-item error says what to fix.
        const error = result.errors[0];
        if (error)
          throw new ApiError(400, error.code, `${error.message} (the message was kept in quarantine)`, result.errors);
        return { success: true, ...result };
      },
    );
  }
  app.post(
    '/v1/batch',
    {
      bodyLimit: MAX_BATCH_BYTES,
      preValidation: authenticate,
      schema: {
        tags: ['ingestion'],
        summary: 'Segment-compatible batch of up to 500 KB; per-item errors, invalid items quarantined',
        body: Type.Object({ batch: Type.Array(Type.Unknown(), { minItems: 1 }) }, { additionalProperties: true }),
        response: RESPONSES,
      },
    },
    async (request) => {
      const batch = fromWriteKey(request) ? request.body.batch.map(dropProtectedTraits) : request.body.batch;
      const received = await receiveMessages(deps, workspaceOf(request), batch, null, 'api');
      if (!received.ok) throw failureToApiError(STATUS, received.error);
      const result = received.value;
      return { success: result.errors.length === 0, ...result };
    },
  );
}
