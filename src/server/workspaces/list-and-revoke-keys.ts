import { recordAudit } from '../audit/record-audit.ts';
import type { Db } from '../db/open-database.ts';
import type { KeyKind, KeyRole } from './api-keys.ts';

export interface KeySummary {
  id: string;
  kind: KeyKind;
  role: KeyRole;
  userId: string | null;
  name: string;
  /** The key's first characters (`rk_secret_AbCd`), to tell keys apart; never the key. */
  prefix: string;
  /** Write keys: the browser origins it may send events from; empty for any. */
  allowedOrigins: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

/** Every key of the workspace, newest first, revoked ones included (they say when). */
export async function listApiKeys(db: Db, workspaceId: string): Promise<KeySummary[]> {
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'kind', 'role', 'user_id', 'name', 'prefix', 'allowed_origins', 'created_at', 'revoked_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    role: row.role,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    allowedOrigins: row.allowed_origins,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }));
}

export type RevokeOutcome =
  | { kind: 'revoked'; key: KeySummary }
  | { kind: 'not-found' }
  | { kind: 'ambiguous'; count: number };

/**
 * Revokes the key named by its id or by its prefix as `keys list` shows it. Servers stop
 * accepting it within their key cache's lifetime (30 s).
 */
export async function revokeApiKey(
  db: Db,
  workspaceId: string,
  idOrPrefix: string,
  now: number,
  by: string,
): Promise<RevokeOutcome> {
  const keys = await listApiKeys(db, workspaceId);
  const matches = keys.filter((key) => key.id === idOrPrefix || key.prefix === idOrPrefix);
  if (matches.length === 0) return { kind: 'not-found' };
  if (matches.length > 1) return { kind: 'ambiguous', count: matches.length };
  const key = matches[0] as KeySummary;
  if (key.revokedAt === null) {
    await db
      .updateTable('api_keys')
      .set({ revoked_at: new Date(now) })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', key.id)
      .execute();
    await recordAudit(db, { workspaceId, actor: by, action: 'key.revoked', target: key.prefix }, now);
  }
  return { kind: 'revoked', key: { ...key, revokedAt: key.revokedAt ?? new Date(now) } };
}

/**
 * Sets the origins a write key may be used from (an empty list allows any). Servers apply
 * it within their key cache's lifetime (30 s). Null when the workspace has no such write key.
 */
export async function setAllowedOrigins(
  db: Db,
  workspaceId: string,
  keyId: string,
  origins: readonly string[],
  by: string,
  now: number,
): Promise<KeySummary | null> {
  const updated = await db
    .updateTable('api_keys')
    .set({ allowed_origins: [...origins] })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', keyId)
    .where('kind', '=', 'write')
    .returning('prefix')
    .executeTakeFirst();
  if (!updated) return null;
  const details = { allowedOrigins: [...origins] };
  await recordAudit(
    db,
    { workspaceId, actor: by, action: 'key.origins-changed', target: updated.prefix, details },
    now,
  );
  return (await listApiKeys(db, workspaceId)).find((key) => key.id === keyId) ?? null;
}
