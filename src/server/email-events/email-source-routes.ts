import { Type } from '@sinclair/typebox';
import { EMAIL_PROVIDERS } from '../../core/email-events/email-event.ts';
import type { Db } from '../db/open-database.ts';
import { ApiError, ErrorBody, failureToApiError } from '../http/api-error.ts';
import { canManage, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import { Nullable, OneOf } from '../http/schema-helpers.ts';
import type { KeyResolver } from '../workspaces/api-keys.ts';
import { EmailSourceSettings } from './email-source-settings.ts';
import { deleteEmailSource, listEmailSources, saveEmailSource } from './email-sources.ts';

const EmailSourceView = Type.Object({
  provider: OneOf(EMAIL_PROVIDERS),
  path: Type.String({ description: 'where the provider posts, on this server' }),
  verifiesSignatures: Type.Boolean(),
  topicArns: Type.Array(Type.String()),
  hasMapping: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const Provider = Type.Object({ provider: OneOf(EMAIL_PROVIDERS) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** /api/email-sources: which email providers may post events, with their tokens and signing keys (admins). */
export function registerEmailSourceRoutes(
  app: App,
  deps: { db: Db; clock: () => number; resolveKey: KeyResolver },
): void {
  const authenticate = requireKey(deps.resolveKey, canManage);
  const tags = ['email events'];

  app.get(
    '/api/email-sources',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'List the email providers set up (never their tokens or keys)',
        response: { 200: Type.Object({ items: Type.Array(EmailSourceView) }), ...errors },
      },
    },
    async (request) => ({ items: await listEmailSources(deps.db, workspaceOf(request)) }),
  );

  app.put(
    '/api/email-sources/:provider',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Set up an email provider; the answer holds the webhook token when it is new or rotated',
        params: Provider,
        body: Type.Composite(
          [
            EmailSourceSettings,
            Type.Object({
              rotateToken: Type.Optional(Type.Boolean({ description: 'issue a new token; the old one stops working' })),
            }),
          ],
          { additionalProperties: false },
        ),
        response: {
          200: Type.Composite([
            EmailSourceView,
            Type.Object({
              token: Nullable(Type.String(), {
                description:
                  'shown once: put it in the webhook URL as https://ripen:<token>@<host><path>; null when unchanged',
              }),
            }),
          ]),
          ...errors,
        },
      },
    },
    async (request) => {
      const { rotateToken, ...settings } = request.body;
      const saved = await saveEmailSource(deps.db, workspaceOf(request), request.params.provider, settings, {
        rotateToken: rotateToken === true,
        now: deps.clock(),
      });
      if (!saved.ok) throw failureToApiError({ 'invalid-settings': 400 }, saved.error);
      return { ...saved.value.source, token: saved.value.token };
    },
  );

  app.delete(
    '/api/email-sources/:provider',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Stop accepting a provider: its token stops working',
        params: Provider,
        response: { 204: Type.Null({ description: 'deleted' }), ...errors },
      },
    },
    async (request, reply) => {
      const deleted = await deleteEmailSource(deps.db, workspaceOf(request), request.params.provider);
      if (!deleted)
        throw new ApiError(404, 'not_found', `${request.params.provider} is not set up; see GET /api/email-sources`);
      return reply.status(204).send(null);
    },
  );
}
