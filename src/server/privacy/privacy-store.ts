import { sql } from 'kysely';
import {
  checkPrivacySettings,
  type PrivacySettings,
  readPrivacySettings,
  retentionRules,
} from '../../core/privacy/privacy-settings.ts';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { suppressionHash } from '../contacts/suppression-hash.ts';
import { anyText } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';

export async function getPrivacySettings(db: Db, workspaceId: string): Promise<PrivacySettings> {
  const row = await db.selectFrom('workspaces').select('privacy').where('id', '=', workspaceId).executeTakeFirst();
  return readPrivacySettings(row?.privacy ?? null);
}

/** Replaces the workspace's privacy settings; ingestion reads them in its next transaction. */
export async function setPrivacySettings(
  db: Db,
  workspaceId: string,
  input: PrivacySettings,
  by: { actor: string; ip?: string | null },
  now: number,
): Promise<Result<PrivacySettings, Failure<'invalid-settings'>>> {
  const checked = checkPrivacySettings(input);
  if (!checked.ok) return err({ kind: 'invalid-settings', message: checked.error });
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('workspaces')
      .set({ privacy: JSON.stringify(checked.value) })
      .where('id', '=', workspaceId)
      .execute();
    const details = { keepFullIp: checked.value.keepFullIp, retentionDays: checked.value.retentionDays };
    await recordAudit(
      trx,
      { workspaceId, actor: by.actor, action: 'privacy.changed', details, ip: by.ip ?? null },
      now,
    );
  });
  return ok(checked.value);
}

/**
 * Deletes the events older than their retention limit (the retention job, daily). One
 * statement per limit; the points those events earned stay in the engagement state, where
 * decay retires them, so set limits longer than the playbook's decay.
 */
export async function applyRetention(db: Db, workspaceId: string, now: number): Promise<Record<string, number>> {
  const settings = await getPrivacySettings(db, workspaceId);
  const deleted: Record<string, number> = {};
  for (const rule of retentionRules(settings)) {
    const before = new Date(now - rule.days * 86_400_000).toISOString();
    const match =
      rule.match.kind === 'name'
        ? sql`name = ${rule.match.name}`
        : rule.match.kind === 'type'
          ? sql`type = ${rule.match.type}`
          : sql`true`;
    const key = rule.match.kind === 'name' ? rule.match.name : rule.match.kind === 'type' ? rule.match.type : '*';
    const result = await sql`
      delete from events
      where workspace_id = ${workspaceId} and occurred_at < ${before}::timestamptz and ${match}
        and (name is null or not (name = ${anyText(rule.exceptNames)}))
        and not (type = ${anyText(rule.exceptTypes)})`.execute(db);
    deleted[key] = Number(result.numAffectedRows ?? 0);
  }
  return deleted;
}

/**
 * Lets an erased person's email or user id be stored again (they asked to be added back).
 * Returns how many suppression entries were lifted.
 */
export async function liftSuppression(
  db: Db,
  workspaceId: string,
  identity: { email?: string; userId?: string },
  by: { actor: string; ip?: string | null },
  now: number,
): Promise<number> {
  const hashes = [
    identity.email ? suppressionHash(workspaceId, 'email', identity.email) : null,
    identity.userId ? suppressionHash(workspaceId, 'user', identity.userId) : null,
  ].flatMap((hash) => (hash ? [hash] : []));
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .deleteFrom('suppressions')
      .where('workspace_id', '=', workspaceId)
      .where('hash', 'in', hashes)
      .executeTakeFirst();
    const lifted = Number(result.numDeletedRows);
    if (lifted > 0) {
      await recordAudit(
        trx,
        { workspaceId, actor: by.actor, action: 'suppression.lifted', details: { entries: lifted }, ip: by.ip ?? null },
        now,
      );
    }
    return lifted;
  });
}
