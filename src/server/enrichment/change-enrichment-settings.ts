import { type Static, Type } from '@sinclair/typebox';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Db } from '../db/open-database.ts';
import { checkWebhookUrl } from '../webhooks/check-webhook-url.ts';
import { generateWebhookSecret } from '../webhooks/sign-webhook.ts';
import {
  ENRICHMENT_LIMITS,
  type EnrichmentSettings,
  getEnrichmentSettings,
  saveEnrichmentSettings,
} from './enrichment-settings.ts';

const { ratePerMinute, cacheDays, timeoutMs } = ENRICHMENT_LIMITS;

/** What `PUT /api/enrichment/settings` accepts: fields left out keep their values. */
export const EnrichmentSettingsInput = Type.Object(
  {
    // Null first: with Ajv's type coercion a string-first union would turn `null` into "".
    url: Type.Optional(
      Type.Union([
        Type.Null(),
        Type.String({ maxLength: 2000, description: 'http(s) URL Ripen POSTs domains to; null removes it' }),
      ]),
    ),
    enabled: Type.Optional(Type.Boolean({ description: 'whether the company-enrichment job asks the endpoint' })),
    ratePerMinute: Type.Optional(
      Type.Integer({
        minimum: ratePerMinute.min,
        maximum: ratePerMinute.max,
        description: `most companies asked about per minute (default ${ratePerMinute.default})`,
      }),
    ),
    cacheDays: Type.Optional(
      Type.Integer({
        minimum: cacheDays.min,
        maximum: cacheDays.max,
        description: `days an answer for a domain is reused; 0 asks every time (default ${cacheDays.default})`,
      }),
    ),
    timeoutMs: Type.Optional(
      Type.Integer({
        minimum: timeoutMs.min,
        maximum: timeoutMs.max,
        description: `milliseconds one request may take (default ${timeoutMs.default})`,
      }),
    ),
    rotateSecret: Type.Optional(Type.Boolean({ description: 'make a new signing secret (shown once)' })),
  },
  { additionalProperties: false },
);
export type EnrichmentSettingsInput = Static<typeof EnrichmentSettingsInput>;

/** Why settings were not saved. */
export type EnrichmentSettingsFailure = Failure<'invalid-url' | 'url-required'>;

/**
 * Changes a workspace's enrichment settings and records it in the audit log. A URL sent must pass
 * the webhook URL check (no private, loopback or link-local target unless allowed). A signing
 * secret is made with the first URL, or on `rotateSecret`, and returned this once.
 */
export async function changeEnrichmentSettings(
  deps: { db: Db; allowList: readonly string[] },
  workspaceId: string,
  input: EnrichmentSettingsInput,
  by: { actor: string; ip: string | null },
  now: number,
): Promise<Result<{ settings: EnrichmentSettings; newSecret: string | null }, EnrichmentSettingsFailure>> {
  const current = await getEnrichmentSettings(deps.db, workspaceId);
  const next: EnrichmentSettings = {
    url: input.url === undefined ? current.url : input.url,
    secret: current.secret,
    enabled: input.enabled ?? current.enabled,
    ratePerMinute: input.ratePerMinute ?? current.ratePerMinute,
    cacheDays: input.cacheDays ?? current.cacheDays,
    timeoutMs: input.timeoutMs ?? current.timeoutMs,
  };
  // Only a URL sent is checked: a host that does not resolve for a while must not keep an admin from disabling it.
  if (input.url !== undefined && next.url !== null) {
    const checked = await checkWebhookUrl(next.url, { allowList: deps.allowList });
    if (!checked.ok) {
      const message = checked.error.message.replace(/^webhook URL/, 'enrichment URL');
      return err({ kind: 'invalid-url', message, details: { field: 'url' } });
    }
    next.url = checked.value.url.href;
  }
  if (next.enabled && next.url === null) {
    const message = 'set `url` to the endpoint (an http or https URL) before enabling enrichment';
    return err({ kind: 'url-required', message, details: { field: 'url' } });
  }
  const newSecret = next.url !== null && (next.secret === null || input.rotateSecret === true);
  if (newSecret) next.secret = generateWebhookSecret();
  await deps.db.transaction().execute(async (trx) => {
    await saveEnrichmentSettings(trx, workspaceId, next);
    const details = {
      url: next.url === null ? null : new URL(next.url).origin,
      enabled: next.enabled,
      ratePerMinute: next.ratePerMinute,
      cacheDays: next.cacheDays,
      secretMade: newSecret,
    };
    await recordAudit(trx, { workspaceId, actor: by.actor, action: 'enrichment.changed', details, ip: by.ip }, now);
  });
  return ok({ settings: next, newSecret: newSecret ? next.secret : null });
}
