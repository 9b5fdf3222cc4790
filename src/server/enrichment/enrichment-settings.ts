import type { Db } from '../db/open-database.ts';

/** A workspace's enrichment endpoint (docs/enrichment.md), stored in `workspaces.enrichment`. */
export interface EnrichmentSettings {
  /** Where Ripen POSTs `{"domain": …}`; null when none is configured. */
  url: string | null;
  /** `whsec_…`: signs each request (Standard Webhooks headers). Shown once, when it is made. */
  secret: string | null;
  /** Whether the `company-enrichment` job sweeps this workspace; never without a URL. */
  enabled: boolean;
  /** Most companies asked about per minute (each sweep's batch). */
  ratePerMinute: number;
  /** How long an answer for a domain is reused instead of asking again; 0 asks every time. */
  cacheDays: number;
  /** How long one request may take, from connecting to the last byte of the answer. */
  timeoutMs: number;
}

type NumericSetting = 'ratePerMinute' | 'cacheDays' | 'timeoutMs';

/**
 * Bounds and defaults of the numeric settings, for the API schema and for reading stored
 * settings. The timeout stays well under a minute so that a sweep ends before the next one.
 */
export const ENRICHMENT_LIMITS: Readonly<Record<NumericSetting, { min: number; max: number; default: number }>> = {
  ratePerMinute: { min: 1, max: 600, default: 60 },
  cacheDays: { min: 0, max: 365, default: 30 },
  timeoutMs: { min: 500, max: 30_000, default: 5000 },
};

/** The stored settings, with defaults for what is not set; `{}` is "no endpoint". */
export function readEnrichmentSettings(stored: Readonly<Record<string, unknown>>): EnrichmentSettings {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const number = (key: NumericSetting) => {
    const value = stored[key];
    return typeof value === 'number' ? value : ENRICHMENT_LIMITS[key].default;
  };
  const url = text(stored.url);
  return {
    url,
    secret: text(stored.secret),
    enabled: stored.enabled === true && url !== null,
    ratePerMinute: number('ratePerMinute'),
    cacheDays: number('cacheDays'),
    timeoutMs: number('timeoutMs'),
  };
}

export async function getEnrichmentSettings(db: Db, workspaceId: string): Promise<EnrichmentSettings> {
  const row = await db.selectFrom('workspaces').select('enrichment').where('id', '=', workspaceId).executeTakeFirst();
  return readEnrichmentSettings(row?.enrichment ?? {});
}

export async function saveEnrichmentSettings(db: Db, workspaceId: string, settings: EnrichmentSettings): Promise<void> {
  await db
    .updateTable('workspaces')
    .set({ enrichment: JSON.stringify(settings) })
    .where('id', '=', workspaceId)
    .execute();
}
