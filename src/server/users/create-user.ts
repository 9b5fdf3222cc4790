import { err, type Failure, ok, type Result } from '../../core/result.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { isUniqueViolation } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import type { UserRole } from '../db/schema.ts';
import { hashPassword, newPassword } from './passwords.ts';

export const USER_ROLES: readonly UserRole[] = ['admin', 'marketing', 'manager', 'rep', 'viewer'];

export function isUserRole(value: string): value is UserRole {
  return (USER_ROLES as readonly string[]).includes(value);
}

export type CreateUserFailure = Failure<'invalid-email' | 'invalid-role' | 'duplicate-user'>;

export interface CreatedUser {
  id: string;
  email: string;
  role: UserRole;
  /** The one-time password, shown to whoever created the user once and never stored. */
  password: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Creates a user with a one-time password, and records who created it. */
export async function createUser(
  db: Db,
  workspaceId: string,
  input: { email: string; role: string },
  by: string,
  now: number,
): Promise<Result<CreatedUser, CreateUserFailure>> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 320) {
    return err({ kind: 'invalid-email', message: `\`email\` must be an email address, got \`${input.email}\`` });
  }
  const role = input.role;
  if (!isUserRole(role)) {
    return err({ kind: 'invalid-role', message: `\`role\` must be one of ${USER_ROLES.join(', ')}, got \`${role}\`` });
  }
  const password = newPassword();
  const passwordHash = await hashPassword(password);
  try {
    const created = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('users')
        .values({ workspace_id: workspaceId, email, role, password_hash: passwordHash })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, { workspaceId, actor: by, action: 'user.created', target: email, details: { role } }, now);
      return row;
    });
    return ok({ id: created.id, email, role, password });
  } catch (error) {
    if (isUniqueViolation(error, 'users_email')) {
      return err({ kind: 'duplicate-user', message: `a user with the email ${email} exists already` });
    }
    throw error;
  }
}
