import { sql } from 'kysely';
import type { Db } from '../db/open-database.ts';

const DAY = 24 * 60 * 60 * 1000;

/** An endpoint's answer about a domain, as kept in `enrichment_cache`. */
export type CachedAnswer = { kind: 'found'; traits: Record<string, unknown> } | { kind: 'not-found' };

/** The answer kept for a domain if it is younger than `cacheDays`; with 0 days nothing is reused. */
export async function readEnrichmentCache(
  db: Db,
  workspaceId: string,
  domain: string,
  cacheDays: number,
  now: number,
): Promise<CachedAnswer | null> {
  if (cacheDays <= 0) return null;
  const row = await db
    .selectFrom('enrichment_cache')
    .select(['status', 'traits'])
    .where('workspace_id', '=', workspaceId)
    .where('domain', '=', domain)
    .where('fetched_at', '>', new Date(now - cacheDays * DAY))
    .executeTakeFirst();
  if (!row) return null;
  return row.status === 'found' ? { kind: 'found', traits: row.traits } : { kind: 'not-found' };
}

/** Keeps the endpoint's latest answer for a domain, replacing an older one. */
export async function writeEnrichmentCache(
  db: Db,
  workspaceId: string,
  domain: string,
  answer: CachedAnswer,
  now: number,
): Promise<void> {
  const status = answer.kind === 'found' ? 'found' : 'not-found';
  const traits = JSON.stringify(answer.kind === 'found' ? answer.traits : {});
  await db
    .insertInto('enrichment_cache')
    .values({ workspace_id: workspaceId, domain, status, traits, fetched_at: new Date(now) })
    .onConflict((conflict) =>
      conflict.columns(['workspace_id', 'domain']).doUpdateSet({
        status: sql`excluded.status`,
        traits: sql`excluded.traits`,
        fetched_at: sql`excluded.fetched_at`,
      }),
    )
    .execute();
}
