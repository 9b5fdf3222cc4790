import { err, type Failure, ok, type Result } from '../../core/result.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Db } from '../db/open-database.ts';
import type { UserRole } from '../db/schema.ts';
import { isUserRole, USER_ROLES } from './create-user.ts';
import { hashPassword, refusePassword, verifyPassword } from './passwords.ts';
import { endUserSessions } from './sessions.ts';

export interface UserView {
  id: string;
  email: string;
  role: UserRole;
  createdAt: string;
  passwordChangedAt: string;
}

export type ManageUserFailure =
  | Failure<'not-found'>
  | Failure<'invalid-role'>
  | Failure<'last-admin'>
  | Failure<'wrong-password'>
  | Failure<'weak-password'>;

/** Who acts, for the audit log: `user:<email>` and the address the request came from. */
export interface Actor {
  actor: string;
  ip: string | null;
}

/** The workspace's people, by email (removed ones are gone from the list). */
export async function listUsers(db: Db, workspaceId: string): Promise<UserView[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email', 'role', 'created_at', 'password_changed_at'])
    .where('workspace_id', '=', workspaceId)
    .where('removed_at', 'is', null)
    .orderBy('email')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: row.created_at.toISOString(),
    passwordChangedAt: row.password_changed_at.toISOString(),
  }));
}

async function liveUser(db: Db, workspaceId: string, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'role', 'password_hash'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .where('removed_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

async function otherAdmins(db: Db, workspaceId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'admin')
    .where('removed_at', 'is', null)
    .where('id', '!=', userId)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

const notFound = (userId: string): ManageUserFailure => ({ kind: 'not-found', message: `no user with id ${userId}` });
const lastAdmin: ManageUserFailure = {
  kind: 'last-admin',
  message: 'this is the last admin: make someone else an admin first, or nobody could manage the workspace',
};

/** Gives a user another role; it applies to their open sessions at once (roles are read per request). */
export async function changeRole(
  db: Db,
  workspaceId: string,
  userId: string,
  role: string,
  by: Actor,
  now: number,
): Promise<Result<UserView, ManageUserFailure>> {
  if (!isUserRole(role)) {
    return err({ kind: 'invalid-role', message: `\`role\` must be one of ${USER_ROLES.join(', ')}, got \`${role}\`` });
  }
  return db.transaction().execute(async (trx) => {
    const user = await liveUser(trx, workspaceId, userId);
    if (!user) return err(notFound(userId));
    if (user.role === 'admin' && role !== 'admin' && (await otherAdmins(trx, workspaceId, userId)) === 0) {
      return err(lastAdmin);
    }
    if (user.role !== role) {
      await trx.updateTable('users').set({ role }).where('id', '=', userId).execute();
      await recordAudit(
        trx,
        { workspaceId, ...by, action: 'user.role-changed', target: user.email, details: { from: user.role, to: role } },
        now,
      );
    }
    const [view] = (await listUsers(trx, workspaceId)).filter((each) => each.id === userId);
    return view ? ok(view) : err(notFound(userId));
  });
}

/** Removes a user: their sessions end at once; their past actions stay in history and the audit log. */
export async function removeUser(
  db: Db,
  workspaceId: string,
  userId: string,
  by: Actor,
  now: number,
): Promise<Result<null, ManageUserFailure>> {
  return db.transaction().execute(async (trx) => {
    const user = await liveUser(trx, workspaceId, userId);
    if (!user) return err(notFound(userId));
    if (user.role === 'admin' && (await otherAdmins(trx, workspaceId, userId)) === 0) return err(lastAdmin);
    await trx
      .updateTable('users')
      .set({ removed_at: new Date(now) })
      .where('id', '=', userId)
      .execute();
    await endUserSessions(trx, userId);
    await recordAudit(trx, { workspaceId, ...by, action: 'user.removed', target: user.email }, now);
    return ok(null);
  });
}

/**
 * Changes one's own password after checking the current one. Every session of the user
 * ends, this one included: the caller starts a fresh one.
 */
export async function changePassword(
  db: Db,
  workspaceId: string,
  userId: string,
  passwords: { current: string; next: string },
  by: Actor,
  now: number,
): Promise<Result<{ email: string }, ManageUserFailure>> {
  const weak = refusePassword(passwords.next);
  if (weak) return err({ kind: 'weak-password', message: weak });
  const user = await liveUser(db, workspaceId, userId);
  if (!user) return err(notFound(userId));
  if (!(await verifyPassword(user.password_hash, passwords.current))) {
    return err({ kind: 'wrong-password', message: 'the current password is not right; type it again' });
  }
  const passwordHash = await hashPassword(passwords.next);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, password_changed_at: new Date(now) })
      .where('id', '=', userId)
      .execute();
    await endUserSessions(trx, userId);
    await recordAudit(trx, { workspaceId, ...by, action: 'password.changed', target: user.email }, now);
  });
  return ok({ email: user.email });
}
