import type { Db } from '../db/open-database.ts';

export type AuditAction =
  | 'sign-in'
  | 'sign-in.failed'
  | 'sign-in.throttled'
  | 'sign-out'
  | 'user.created'
  | 'user.role-changed'
  | 'user.removed'
  | 'password.changed'
  | 'key.created'
  | 'key.revoked'
  | 'key.origins-changed'
  | 'playbook.published'
  | 'lead.reassigned'
  | 'lead.reopened'
  | 'contact.erased'
  | 'contact.exported'
  | 'contact.merged'
  | 'contact.unmerged'
  | 'suppression.lifted'
  | 'privacy.changed'
  | 'enrichment.changed';

export interface AuditEntry {
  workspaceId: string | null;
  /** `user:<email>`, `key:<id>`, `cli`. */
  actor: string;
  action: AuditAction;
  target?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

/** Records who did what, in the caller's transaction when given one. Never a password or a session id. */
export async function recordAudit(db: Db, entry: AuditEntry, now: number): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      workspace_id: entry.workspaceId,
      at: new Date(now),
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      details: JSON.stringify(entry.details ?? {}),
      ip: entry.ip ?? null,
    })
    .execute();
}
