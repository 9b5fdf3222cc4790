import { Type } from '@sinclair/typebox';
import { ApiError, ErrorBody, failureToApiError } from '../http/api-error.ts';
import { auditActor, canManage, identityOf, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { Nullable, OneOf } from '../http/schema-helpers.ts';
import { parseAllowedOrigins } from './allowed-origins.ts';
import { createApiKey, KEY_ROLES } from './api-keys.ts';
import { type KeySummary, listApiKeys, revokeApiKey, setAllowedOrigins } from './list-and-revoke-keys.ts';

const KeyView = Type.Object({
  id: Type.String(),
  kind: OneOf(['secret', 'write'] as const),
  role: Type.String({ description: 'secret keys: admin, manager or rep; write keys only ever send events' }),
  userId: Nullable(Type.String({ description: 'the rep or manager the key acts for (their email)' })),
  name: Type.String(),
  prefix: Type.String({ description: 'the key’s first characters, to tell keys apart; never the key' }),
  allowedOrigins: Type.Array(Type.String(), { description: 'write keys: browser origins allowed; empty for any' }),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
});

const Origins = Type.Array(Type.String({ maxLength: 300 }), {
  maxItems: 200,
  description: 'write keys: the websites (https://www.example.com) browsers may send events from; empty for any',
});
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

function viewOf(key: KeySummary) {
  return {
    ...key,
    role: key.kind === 'write' ? 'write' : key.role,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

function notFound(id: string): ApiError {
  return new ApiError(404, 'not_found', `no key \`${id}\` in this workspace; GET /api/keys lists them`);
}

/** API keys (admins): secret keys with a role, public write keys with their allowed origins. */
export function registerKeyRoutes(app: App, deps: RouteDeps): void {
  const authenticate = requireKey(deps.resolveKey, canManage);
  const tags = ['keys'];

  app.get(
    '/api/keys',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'The workspace’s API keys, newest first, revoked ones included; never the keys themselves',
        response: { 200: Type.Object({ items: Type.Array(KeyView) }), ...errors },
      },
    },
    async (request) => ({ items: (await listApiKeys(deps.db, workspaceOf(request))).map(viewOf) }),
  );

  app.post(
    '/api/keys',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Create a key; the answer holds the key itself, shown this once (only its hash is stored)',
        body: Type.Object(
          {
            kind: OneOf(['secret', 'write'] as const),
            name: Type.String({ minLength: 1, maxLength: 100, description: 'what it is for: "CRM sync", "website"' }),
            role: Type.Optional(OneOf(KEY_ROLES, 'secret keys: what it may do; default admin')),
            userId: Type.Optional(
              Type.String({ minLength: 1, maxLength: 320, description: 'rep keys: the rep it acts for (their email)' }),
            ),
            allowedOrigins: Type.Optional(Origins),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ key: KeyView, secret: Type.String() }), ...errors },
      },
    },
    async (request, reply) => {
      const workspaceId = workspaceOf(request);
      const { kind, name, role, userId, allowedOrigins } = request.body;
      if (kind === 'write' && (role !== undefined || userId !== undefined)) {
        throw new ApiError(400, 'invalid_key', 'a write key only sends events: leave out `role` and `userId`');
      }
      if (kind === 'secret' && allowedOrigins !== undefined) {
        throw new ApiError(
          400,
          'invalid_key',
          'allowed origins limit public write keys; a secret key must never reach a browser',
        );
      }
      if (role === 'rep' && userId === undefined) {
        throw new ApiError(
          400,
          'invalid_key',
          'a rep key needs `userId`: the email the playbook routes the rep’s leads to',
        );
      }
      const origins = parseAllowedOrigins(allowedOrigins ?? []);
      if (!origins.ok) throw failureToApiError({ 'invalid-origin': 400 }, origins.error);
      const created = await createApiKey(deps.db, workspaceId, kind, name.trim(), {
        role: role ?? 'admin',
        userId: userId?.trim().toLowerCase() ?? null,
        allowedOrigins: origins.value,
        by: auditActor(identityOf(request)),
        now: deps.clock(),
      });
      const key = (await listApiKeys(deps.db, workspaceId)).find((each) => each.id === created.id);
      if (!key) throw new Error('a key just created is missing');
      return reply.status(201).send({ key: viewOf(key), secret: created.key });
    },
  );

  app.patch(
    '/api/keys/:id',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Change the origins a write key may send events from (servers apply it within 30 s)',
        params: Id,
        body: Type.Object({ allowedOrigins: Origins }, { additionalProperties: false }),
        response: { 200: KeyView, ...errors },
      },
    },
    async (request) => {
      const origins = parseAllowedOrigins(request.body.allowedOrigins);
      if (!origins.ok) throw failureToApiError({ 'invalid-origin': 400 }, origins.error);
      const by = auditActor(identityOf(request));
      const key = await setAllowedOrigins(
        deps.db,
        workspaceOf(request),
        request.params.id,
        origins.value,
        by,
        deps.clock(),
      );
      if (!key) throw notFound(request.params.id);
      return viewOf(key);
    },
  );

  app.delete(
    '/api/keys/:id',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Revoke a key: servers refuse it within 30 s; it stays listed as revoked',
        params: Id,
        response: { 200: KeyView, ...errors },
      },
    },
    async (request) => {
      const by = auditActor(identityOf(request));
      const outcome = await revokeApiKey(deps.db, workspaceOf(request), request.params.id, deps.clock(), by);
      if (outcome.kind !== 'revoked') throw notFound(request.params.id);
      return viewOf(outcome.key);
    },
  );
}
