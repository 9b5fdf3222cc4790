import { err, type Failure, ok, type Result } from '../../core/result.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Db } from '../db/open-database.ts';
import type { UserRole } from '../db/schema.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { startSession } from './sessions.ts';

/** Failed sign-ins are counted over this window, per account and per address. */
export const THROTTLE_WINDOW_MS = 15 * 60_000;
/** Guesses allowed per account and per address in a window; past them sign-in waits. */
export const ACCOUNT_LIMIT = 5;
export const ADDRESS_LIMIT = 30;

export type SignInFailure = Failure<'invalid-credentials' | 'throttled'>;

export interface SignedIn {
  sessionId: string;
  csrfToken: string;
  expiresAt: number;
  workspaceId: string;
  user: { id: string; email: string; role: UserRole; language: string | null };
}

/** Compared against when the email is unknown, so an unknown and a known account take as long. */
let decoyHash: Promise<string> | null = null;

/**
 * Signs a person in with email and password: refused while the account or the address has
 * too many recent failures (each counted once, whichever limit it trips), else a new
 * server-side session. Every outcome goes to the audit log; the password never does.
 */
export async function signIn(
  db: Db,
  input: { email: string; password: string; ip: string },
  now: number,
): Promise<Result<SignedIn, SignInFailure>> {
  const email = input.email.trim().toLowerCase();
  const accountKey = `account:${email}`;
  const addressKey = `ip:${input.ip}`;
  const user = await db
    .selectFrom('users')
    .select(['id', 'workspace_id', 'email', 'role', 'password_hash', 'language'])
    .where('email', '=', email)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  const workspaceId = user?.workspace_id ?? null;
  const since = new Date(now - THROTTLE_WINDOW_MS);
  const failures = await db
    .selectFrom('sign_in_failures')
    .select(['key', (eb) => eb.fn.countAll<string>().as('count')])
    .where('key', 'in', [accountKey, addressKey])
    .where('at', '>', since)
    .groupBy('key')
    .execute();
  const countOf = (key: string) => Number(failures.find((row) => row.key === key)?.count ?? 0);
  if (countOf(accountKey) >= ACCOUNT_LIMIT || countOf(addressKey) >= ADDRESS_LIMIT) {
    await recordAudit(db, { workspaceId, actor: `user:${email}`, action: 'sign-in.throttled', ip: input.ip }, now);
    const message = 'too many failed sign-ins; wait 15 minutes, or ask an admin to set a new password';
    return err({ kind: 'throttled', message, details: { retryAfterSeconds: THROTTLE_WINDOW_MS / 1000 } });
  }
  decoyHash ??= hashPassword('not a password anyone has');
  const matches = await verifyPassword(user?.password_hash ?? (await decoyHash), input.password);
  if (!user || !matches) {
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('sign_in_failures').where('at', '<=', since).execute();
      await trx
        .insertInto('sign_in_failures')
        .values([
          { key: accountKey, at: new Date(now) },
          { key: addressKey, at: new Date(now) },
        ])
        .execute();
      await recordAudit(trx, { workspaceId, actor: `user:${email}`, action: 'sign-in.failed', ip: input.ip }, now);
    });
    return err({ kind: 'invalid-credentials', message: 'the email or the password is wrong' });
  }
  const session = await startSession(db, { workspaceId: user.workspace_id, userId: user.id }, now);
  await recordAudit(db, { workspaceId, actor: `user:${email}`, action: 'sign-in', ip: input.ip }, now);
  return ok({
    ...session,
    workspaceId: user.workspace_id,
    user: { id: user.id, email: user.email, role: user.role, language: user.language },
  });
}
