import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id (the library's default algorithm) with OWASP's recommended minimum (19 MiB, two
 * passes, one lane): slow enough to make guessing stolen hashes expensive, fast enough for a
 * sign-in.
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export async function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Whether `password` matches the stored hash; a malformed hash matches nothing. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A one-time password to hand to a new user: 18 random bytes, typed once and then changed. */
export function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** What a password must be, or null when it is good enough. */
export function refusePassword(password: string): string | null {
  if (password.length < 12) return 'a password needs at least 12 characters';
  if (password.length > 200) return 'a password may have at most 200 characters';
  return null;
}
