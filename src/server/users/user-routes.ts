import { Type } from '@sinclair/typebox';
import { ErrorBody, failureToApiError } from '../http/api-error.ts';
import { auditActor, canManage, identityOf, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { OneOf } from '../http/schema-helpers.ts';
import { type CreateUserFailure, createUser, USER_ROLES } from './create-user.ts';
import { changeRole, listUsers, type ManageUserFailure, removeUser } from './manage-users.ts';

const STATUS: Record<ManageUserFailure['kind'] | CreateUserFailure['kind'], number> = {
  'not-found': 404,
  'invalid-role': 400,
  'invalid-email': 400,
  'duplicate-user': 409,
  'last-admin': 409,
  'wrong-password': 403,
  'weak-password': 400,
};

const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  passwordChangedAt: Type.String({ format: 'date-time' }),
});
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** People and their roles (admins): list, add (one-time password shown once), change role, remove. */
export function registerUserRoutes(app: App, deps: RouteDeps): void {
  const authenticate = requireKey(deps.resolveKey, canManage);
  const tags = ['users'];
  const by = (request: Parameters<typeof identityOf>[0]) => ({
    actor: auditActor(identityOf(request)),
    ip: request.ip,
  });

  app.get(
    '/api/users',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'The people who sign in, with their roles',
        response: { 200: Type.Object({ items: Type.Array(UserView) }), ...errors },
      },
    },
    async (request) => ({ items: await listUsers(deps.db, workspaceOf(request)) }),
  );

  app.post(
    '/api/users',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Add a person; the answer holds their one-time password, shown this once',
        body: Type.Object(
          { email: Type.String({ maxLength: 320 }), role: OneOf(USER_ROLES) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            user: UserView,
            password: Type.String({ description: 'one-time; only its hash is kept' }),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const workspaceId = workspaceOf(request);
      const created = await createUser(deps.db, workspaceId, request.body, by(request).actor, deps.clock());
      if (!created.ok) throw failureToApiError(STATUS, created.error);
      const user = (await listUsers(deps.db, workspaceId)).find((each) => each.id === created.value.id);
      if (!user) throw new Error('a user just created is missing');
      return reply.status(201).send({ user, password: created.value.password });
    },
  );

  app.patch(
    '/api/users/:id',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Change a person’s role (applies to their open sessions at once)',
        params: Id,
        body: Type.Object({ role: OneOf(USER_ROLES) }, { additionalProperties: false }),
        response: { 200: UserView, ...errors },
      },
    },
    async (request) => {
      const changed = await changeRole(
        deps.db,
        workspaceOf(request),
        request.params.id,
        request.body.role,
        by(request),
        deps.clock(),
      );
      if (!changed.ok) throw failureToApiError(STATUS, changed.error);
      return changed.value;
    },
  );

  app.delete(
    '/api/users/:id',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'Remove a person: their sessions end at once; their history stays',
        params: Id,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const removed = await removeUser(deps.db, workspaceOf(request), request.params.id, by(request), deps.clock());
      if (!removed.ok) throw failureToApiError(STATUS, removed.error);
      return reply.status(204).send(null);
    },
  );
}
