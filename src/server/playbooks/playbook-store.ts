import { type CompiledPlaybook, compilePlaybook } from '../../core/playbook/compile-playbook.ts';
import { parsePlaybook } from '../../core/playbook/parse-playbook.ts';
import type { Playbook } from '../../core/playbook/playbook-schema.ts';
import type { PlaybookStore } from '../../core/playbook/playbook-store.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Db } from '../db/open-database.ts';

/**
 * The active (latest published) playbook per workspace, cached in process. Published
 * versions are immutable, so a cached version is never wrong, only possibly superseded;
 * scoring detects that (StalePlaybookError) and the cache is refreshed.
 */
export function createPlaybookStore(db: Db, ttlMs = 5_000, clock: () => number = Date.now): PlaybookStore {
  const cache = new Map<string, { playbook: CompiledPlaybook | null; until: number }>();
  async function load(workspaceId: string, via: Db): Promise<CompiledPlaybook | null> {
    const row = await via
      .selectFrom('playbook_versions')
      .select(['version', 'document'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    // Stored documents were validated at publish time.
    return row ? compilePlaybook(row.document as Playbook, row.version) : null;
  }
  return {
    /** Inside a transaction pass it as `via`: on PGlite's one connection another query would wait for it forever. */
    async active(workspaceId: string, via: Db = db): Promise<CompiledPlaybook | null> {
      const cached = cache.get(workspaceId);
      if (cached && cached.until > clock()) return cached.playbook;
      const playbook = await load(workspaceId, via);
      cache.set(workspaceId, { playbook, until: clock() + ttlMs });
      return playbook;
    },
    invalidate(workspaceId: string): void {
      cache.delete(workspaceId);
    },
    invalidateAll(): void {
      cache.clear();
    },
  };
}

/** Parses, validates and stores a new immutable version. Returns the version number or the issues. */
export async function publishPlaybookVersion(
  db: Db,
  workspaceId: string,
  source: string,
  publishedBy: string,
  now: number,
) {
  const parsed = parsePlaybook(source);
  if (!parsed.ok) return parsed;
  const version = await db.transaction().execute(async (trx) => {
    // Serialise publishers of one workspace so version numbers never collide.
    await trx.selectFrom('workspaces').select('id').where('id', '=', workspaceId).forUpdate().execute();
    const latest = await trx
      .selectFrom('playbook_versions')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    const next = (latest?.version ?? 0) + 1;
    await trx
      .insertInto('playbook_versions')
      .values({
        workspace_id: workspaceId,
        version: next,
        name: parsed.value.name,
        source,
        document: JSON.stringify(parsed.value),
        published_by: publishedBy,
      })
      .execute();
    const target = `version ${next}`;
    await recordAudit(trx, { workspaceId, actor: publishedBy, action: 'playbook.published', target }, now);
    return next;
  });
  return { ok: true as const, value: { version, playbook: parsed.value } };
}

/** The latest published version of a workspace's playbook, as written, or null before the first. */
export async function latestPlaybookVersion(db: Db, workspaceId: string) {
  const row = await db
    .selectFrom('playbook_versions')
    .select(['version', 'name', 'source', 'published_at', 'published_by'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    version: row.version,
    name: row.name,
    source: row.source,
    publishedAt: row.published_at.toISOString(),
    publishedBy: row.published_by,
  };
}
