import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { LANGUAGE_CODES } from '../../core/languages.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Db } from '../db/open-database.ts';
import { ErrorBody, errorBody, failureToApiError } from '../http/api-error.ts';
import { permissionsOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import { Nullable, OneOf } from '../http/schema-helpers.ts';
import { changePassword, type ManageUserFailure } from './manage-users.ts';
import { endSession, resolveSession, SESSION_COOKIE, type SessionUser, startSession } from './sessions.ts';
import { type SignInFailure, signIn } from './sign-in.ts';

export interface SessionRouteDeps {
  db: Db;
  clock: () => number;
}

/** The HTTP status of each way signing in or out can fail. */
const STATUS: Record<SignInFailure['kind'] | ManageUserFailure['kind'] | 'not-signed-in' | 'csrf', number> = {
  'invalid-credentials': 401,
  throttled: 429,
  'not-signed-in': 401,
  csrf: 403,
  'wrong-password': 403,
  'weak-password': 400,
  'not-found': 401,
  'invalid-role': 400,
  'last-admin': 409,
};

const SessionView = Type.Object({
  user: Type.Object({
    id: Type.String(),
    email: Type.String(),
    role: Type.String(),
    language: Nullable(Type.String(), { description: 'the language they picked; null for their browser’s' }),
  }),
  can: Type.Object(
    {
      writeLeads: Type.Boolean(),
      editCompanies: Type.Boolean(),
      mergeContacts: Type.Boolean(),
      publishPlaybook: Type.Boolean(),
      manage: Type.Boolean(),
      reassign: Type.Boolean(),
    },
    { description: 'what this person may do (the routes enforce it; the web app hides the rest)' },
  ),
  csrfToken: Type.String({
    description: 'send it back as the `x-csrf-token` header on every request that changes something',
  }),
});

function viewOf(user: SessionUser) {
  const identity = { workspaceId: user.workspaceId, keyId: `session:${user.userId}`, kind: 'session' as const };
  return {
    user: { id: user.userId, email: user.email, role: user.role, language: user.language },
    can: permissionsOf({ ...identity, role: user.role, userId: user.email }),
    csrfToken: user.csrfToken,
  };
}

/** The session cookie: unreadable by scripts, sent on same-site navigation only, HTTPS-only behind TLS. */
function cookieOptions(request: FastifyRequest, maxAgeSeconds: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https',
    maxAge: maxAgeSeconds,
  };
}

async function currentSession(deps: SessionRouteDeps, request: FastifyRequest): Promise<SessionUser | null> {
  const sessionId = request.cookies[SESSION_COOKIE];
  return sessionId ? resolveSession(deps.db, sessionId, deps.clock()) : null;
}

/** The signed-in session of a request that changes something: it must repeat the CSRF token. */
async function changingSession(deps: SessionRouteDeps, request: FastifyRequest): Promise<SessionUser> {
  const session = await currentSession(deps, request);
  if (!session) throw notSignedIn();
  if (request.headers['x-csrf-token'] !== session.csrfToken) {
    const message = 'send the `x-csrf-token` header with the token GET /api/session returns';
    throw failureToApiError(STATUS, { kind: 'csrf', message });
  }
  return session;
}

function notSignedIn() {
  return failureToApiError(STATUS, { kind: 'not-signed-in', message: 'sign in first: POST /api/session' });
}

/** Sign-in, the signed-in user, and sign-out, for the web app. */
export function registerSessionRoutes(app: App, deps: SessionRouteDeps): void {
  const tags = ['session'];
  app.post(
    '/api/session',
    {
      schema: {
        tags,
        summary: 'Sign in with email and password; sets the session cookie',
        body: Type.Object(
          { email: Type.String({ maxLength: 320 }), password: Type.String({ maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: SessionView, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const now = deps.clock();
      const result = await signIn(deps.db, { ...request.body, ip: request.ip }, now);
      if (!result.ok) {
        const { error } = result;
        if (error.kind === 'throttled') {
          return reply
            .status(429)
            .header('retry-after', String(15 * 60))
            .send(errorBody('throttled', error.message));
        }
        throw failureToApiError(STATUS, error);
      }
      const { sessionId, csrfToken, expiresAt, user } = result.value;
      void reply.setCookie(SESSION_COOKIE, sessionId, cookieOptions(request, Math.floor((expiresAt - now) / 1000)));
      const identity = { workspaceId: result.value.workspaceId, keyId: `session:${user.id}`, kind: 'session' as const };
      return { user, can: permissionsOf({ ...identity, role: user.role, userId: user.email }), csrfToken };
    },
  );

  app.get(
    '/api/session',
    { schema: { tags, summary: 'The signed-in user', response: { 200: SessionView, 401: ErrorBody } } },
    async (request) => {
      const session = await currentSession(deps, request);
      if (!session) throw notSignedIn();
      return viewOf(session);
    },
  );

  app.post(
    '/api/session/password',
    {
      schema: {
        tags,
        summary: 'Change your password: every session of yours ends, and this one starts afresh',
        body: Type.Object(
          { current: Type.String({ maxLength: 200 }), next: Type.String({ maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: SessionView, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      const session = await changingSession(deps, request);
      const now = deps.clock();
      const { workspaceId, userId } = session;
      const changed = await changePassword(
        deps.db,
        workspaceId,
        userId,
        request.body,
        { actor: `user:${session.email}`, ip: request.ip },
        now,
      );
      if (!changed.ok) throw failureToApiError(STATUS, changed.error);
      const fresh = await startSession(deps.db, { workspaceId, userId }, now);
      void reply.setCookie(
        SESSION_COOKIE,
        fresh.sessionId,
        cookieOptions(request, Math.floor((fresh.expiresAt - now) / 1000)),
      );
      return viewOf({ ...session, csrfToken: fresh.csrfToken });
    },
  );

  app.put(
    '/api/session/language',
    {
      schema: {
        tags,
        summary: 'Keep the language you picked for the web app, on every device; null goes back to the browser’s',
        body: Type.Object(
          { language: Nullable(OneOf(LANGUAGE_CODES as readonly string[])) },
          { additionalProperties: false },
        ),
        response: { 200: SessionView, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const session = await changingSession(deps, request);
      const { language } = request.body;
      await deps.db.updateTable('users').set({ language }).where('id', '=', session.userId).execute();
      return viewOf({ ...session, language });
    },
  );

  app.delete(
    '/api/session',
    {
      schema: {
        tags,
        summary: 'Sign out: ends the session on the server and clears the cookie',
        response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      const session = await changingSession(deps, request);
      const sessionId = request.cookies[SESSION_COOKIE];
      if (sessionId) await endSession(deps.db, sessionId);
      const actor = `user:${session.email}`;
      await recordAudit(
        deps.db,
        { workspaceId: session.workspaceId, actor, action: 'sign-out', ip: request.ip },
        deps.clock(),
      );
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );
}
