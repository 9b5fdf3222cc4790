import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/open-database.ts';
import type { UserRole } from '../db/schema.ts';
import type { SessionIdentity } from '../workspaces/api-keys.ts';

/** The cookie that carries the session id; the server keeps only its hash. */
export const SESSION_COOKIE = 'ripen_session';

/** A session lasts two weeks from sign-in, unless signed out, its password changed or its user removed. */
export const SESSION_LIFETIME_MS = 14 * 24 * 3_600_000;

/** Who a session cookie signs in, with the token its state-changing requests must repeat. */
export interface SessionUser {
  workspaceId: string;
  userId: string;
  email: string;
  role: UserRole;
  /** The web app's language they picked; null for their browser's. */
  language: string | null;
  csrfToken: string;
}

function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

export async function startSession(
  db: Db,
  user: { workspaceId: string; userId: string },
  now: number,
): Promise<{ sessionId: string; csrfToken: string; expiresAt: number }> {
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = now + SESSION_LIFETIME_MS;
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashSessionId(sessionId),
      workspace_id: user.workspaceId,
      user_id: user.userId,
      csrf_token: csrfToken,
      created_at: new Date(now),
      expires_at: new Date(expiresAt),
    })
    .execute();
  return { sessionId, csrfToken, expiresAt };
}

/** The signed-in user of a live session, or null: unknown, expired, or its user removed. */
export async function resolveSession(db: Db, sessionId: string, now: number): Promise<SessionUser | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.workspace_id', 's.user_id', 's.csrf_token', 'u.email', 'u.role', 'u.language'])
    .where('s.id_hash', '=', hashSessionId(sessionId))
    .where('s.expires_at', '>', new Date(now))
    .where('u.removed_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  return {
    workspaceId: row.workspace_id,
    userId: row.user_id,
    email: row.email,
    role: row.role,
    language: row.language,
    csrfToken: row.csrf_token,
  };
}

export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', hashSessionId(sessionId)).execute();
}

/** Ends every session of a user: on a password change and when the user is removed. */
export async function endUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/**
 * A live session as the routes' permission predicates see it: a person acting under their
 * role, for the leads routed to their email.
 */
export async function resolveSessionIdentity(db: Db, sessionId: string, now: number): Promise<SessionIdentity | null> {
  const user = await resolveSession(db, sessionId, now);
  if (user === null) return null;
  return {
    workspaceId: user.workspaceId,
    keyId: `session:${user.userId}`,
    kind: 'session',
    role: user.role,
    userId: user.email,
    csrfToken: user.csrfToken,
  };
}
