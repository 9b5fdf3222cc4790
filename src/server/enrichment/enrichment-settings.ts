import { sql } from 'kysely';
import type { Db } from '../db/open-database.ts';

/** A workspace's enrichment endpoint (docs/enrichment.md). */
export interface EnrichmentSettings {
  /** Where Ripen POSTs `{"domain": …}`; null when none is configured. */
  url: string | null;
  /** `whsec_…`: signs each request (Standard Webhooks headers). Never shown after it is made. */
  secret: string | null;
  enabled: boolean;
  /** Most companies asked about per minute (each sweep's batch). */
  ratePerMinute: number;
  /** How long an answer for a domain is reused instead of asking again. */
  cacheDays: number;
  timeoutMs: number;
}

export const ENRICHMENT_DEFAULTS = { ratePerMinute: 60, cacheDays: 30, timeoutMs: 5000 } as const;

/** The stored settings with defaults for what is not set; `{}` is "no endpoint". */
export function readEnrichmentSettings(raw: unknown): EnrichmentSettings {
  const stored = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const number = (key: keyof typeof ENRICHMENT_DEFAULTS) =>
    typeof stored[key] === 'number' ? (stored[key] as number) : ENRICHMENT_DEFAULTS[key];
  return {
    url: typeof stored.url === 'string' ? stored.url : null,
    secret: typeof stored.secret === 'string' ? stored.secret : null,
    enabled: stored.enabled === true && typeof stored.url === 'string',
    ratePerMinute: number('ratePerMinute'),
    cacheDays: number('cacheDays'),
    timeoutMs: number('timeoutMs'),
  };
}

export async function getEnrichmentSettings(db: Db, workspaceId: string): Promise<EnrichmentSettings> {
  const row = await db.selectFrom('workspaces').select('enrichment').where('id', '=', workspaceId).executeTakeFirst();
  return readEnrichmentSettings(row?.enrichment ?? null);
}

export async function saveEnrichmentSettings(db: Db, workspaceId: string, settings: EnrichmentSettings): Promise<void> {
  await sql`update workspaces set enrichment = ${JSON.stringify(settings)}::jsonb where id = ${workspaceId}`.execute(
    db,
  );
}
