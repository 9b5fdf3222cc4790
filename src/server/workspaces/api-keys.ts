import { createHash, randomBytes } from 'node:crypto';
import { recordAudit } from '../audit/record-audit.ts';
import type { Db } from '../db/open-database.ts';
import type { UserRole } from '../db/schema.ts';

export type KeyKind = 'secret' | 'write';
export type KeyRole = 'admin' | 'manager' | 'rep';
export const KEY_ROLES: readonly KeyRole[] = ['admin', 'manager', 'rep'];

/**
 * Who a request acts as: a key, or a person signed in to the web app (`session`). Write keys
 * only ever ingest; a secret key's or a person's role bounds what they may read and change,
 * by the same predicates (http/auth.ts, handoff/can-act-on-lead.ts).
 */
export interface KeyIdentity {
  workspaceId: string;
  /** The key's id; for a session, `session:<user id>`. */
  keyId: string;
  kind: KeyKind | 'session';
  role: UserRole;
  /** The rep or manager it acts for (as named in the playbook's teams: their email); null for service keys. */
  userId: string | null;
  /** Write keys: the browser origins it may send events from; empty or absent for any. */
  allowedOrigins?: readonly string[];
}

/** A signed-in person, with the token that their cookie-authenticated changes must repeat. */
export interface SessionIdentity extends KeyIdentity {
  kind: 'session';
  csrfToken: string;
}

const PREFIX: Record<KeyKind, string> = { secret: 'rk_secret_', write: 'rk_write_' };

/** Keys are 32 random bytes, so a fast hash is safe at rest (no dictionary to attack); argon2 is for passwords. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Creates a key and returns it in clear text, once; only its hash is stored. */
export async function createApiKey(
  db: Db,
  workspaceId: string,
  kind: KeyKind,
  name: string,
  options: {
    role?: KeyRole;
    userId?: string | null;
    allowedOrigins?: readonly string[];
    by?: string;
    now?: number;
  } = {},
): Promise<{ id: string; key: string }> {
  const key = `${PREFIX[kind]}${randomBytes(24).toString('base64url')}`;
  const { id } = await db
    .insertInto('api_keys')
    .values({
      workspace_id: workspaceId,
      kind,
      name,
      prefix: key.slice(0, PREFIX[kind].length + 4),
      secret_hash: hashKey(key),
      role: options.role ?? 'admin',
      user_id: options.userId ?? null,
      allowed_origins: [...(options.allowedOrigins ?? [])],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const details = { kind, role: options.role ?? 'admin', userId: options.userId ?? null };
  const entry = { workspaceId, actor: options.by ?? 'system', action: 'key.created', target: name, details } as const;
  await recordAudit(db, entry, options.now ?? Date.now());
  return { id, key };
}

/**
 * Resolves keys with a short-lived in-process cache, so ingestion does not pay a query per
 * request. A revoked key stops working within `ttlMs`.
 */
export function createKeyResolver(db: Db, ttlMs = 30_000, clock: () => number = Date.now) {
  const cache = new Map<string, { identity: KeyIdentity | null; until: number }>();
  return async function resolveKey(key: string): Promise<KeyIdentity | null> {
    const hash = hashKey(key);
    const cached = cache.get(hash);
    if (cached && cached.until > clock()) return cached.identity;
    const row = await db
      .selectFrom('api_keys')
      .select(['workspace_id', 'id', 'kind', 'role', 'user_id', 'allowed_origins'])
      .where('secret_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const identity = row
      ? {
          workspaceId: row.workspace_id,
          keyId: row.id,
          kind: row.kind,
          role: row.role,
          userId: row.user_id,
          allowedOrigins: row.allowed_origins,
        }
      : null;
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { identity, until: clock() + ttlMs });
    return identity;
  };
}
/**
 * How requests are authenticated: by an API key, and, where the app was built with sessions,
 * by the web app's session cookie.
 */
export type KeyResolver = ((key: string) => Promise<KeyIdentity | null>) & {
  session?: (sessionId: string) => Promise<SessionIdentity | null>;
};
