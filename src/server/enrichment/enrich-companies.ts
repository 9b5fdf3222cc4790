import { sql } from 'kysely';
import { COMPANY_PROFILE_COLUMNS, splitCompanyTraits } from '../../core/companies/company-fields.ts';
import type { Db } from '../db/open-database.ts';
import { startHandoffs } from '../handoff/start-handoffs.ts';
import type { ServiceDeps } from '../http/route-deps.ts';
import { qualifiedBy, rescoreCompanyContacts } from '../scoring/score-contacts.ts';
import { callEnrichmentEndpoint, type EnrichmentAnswer } from './call-enrichment-endpoint.ts';
import { type EnrichmentSettings, getEnrichmentSettings } from './enrichment-settings.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Attempts before a company's enrichment is given up (`failed`); retry after 1, 2, 4, 8, 16 min. */
export const MAX_ENRICHMENT_ATTEMPTS = 6;

export interface EnrichmentDeps extends ServiceDeps {
  /** Hosts and CIDRs an endpoint may resolve to although private (RIPEN_WEBHOOK_ALLOW). */
  allowList: readonly string[];
}

/** What happened to one company. */
export interface EnrichmentResult {
  companyId: string;
  status: 'done' | 'not-found' | 'retry' | 'failed' | 'skipped';
  /** Where the traits came from: the endpoint now, or an answer kept for the domain. */
  source: 'endpoint' | 'cache' | null;
  /** Profile fields and properties that were empty and are now filled. */
  filled: string[];
  error: string | null;
}

/**
 * The `company-enrichment` sweep: when the workspace's endpoint is enabled, takes up to its
 * `ratePerMinute` companies that were never tried or whose retry is due, oldest first, and
 * enriches each (enrichCompany). One sweep a minute, so the batch bound is the rate limit.
 */
export async function enrichDueCompanies(
  deps: EnrichmentDeps,
  workspaceId: string,
  now: number,
): Promise<EnrichmentResult[]> {
  const settings = await getEnrichmentSettings(deps.db, workspaceId);
  if (!settings.enabled) return [];
  const due = await deps.db
    .selectFrom('companies')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([
        eb('enrichment_status', 'is', null),
        eb.and([eb('enrichment_status', '=', 'retry'), eb('enrichment_due_at', '<=', new Date(now))]),
      ]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .limit(settings.ratePerMinute)
    .execute();
  const results: EnrichmentResult[] = [];
  for (const { id } of due) results.push(await enrichCompany(deps, workspaceId, id, now, { settings }));
  return results;
}

/**
 * Enriches one company: without a domain it is `skipped`; a cached answer for its domain
 * (younger than `cacheDays`) is used unless `force`; else the endpoint is asked (outside any
 * transaction). Traits fill only empty fields and absent properties — enrichment never
 * overwrites what a person, an import or a `group` call set — and the company's contacts are
 * rescored in the same transaction. 429, 5xx and no answer retry with back-off (or after
 * Retry-After, when longer) up to MAX_ENRICHMENT_ATTEMPTS; other answers fail at once.
 */
export async function enrichCompany(
  deps: EnrichmentDeps,
  workspaceId: string,
  companyId: string,
  now: number,
  options: { settings?: EnrichmentSettings; force?: boolean } = {},
): Promise<EnrichmentResult> {
  const settings = options.settings ?? (await getEnrichmentSettings(deps.db, workspaceId));
  const company = await deps.db
    .selectFrom('companies')
    .select(['domain', 'enrichment_attempts'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', companyId)
    .executeTakeFirst();
  if (!company) throw new Error(`no company with id ${companyId}`);
  const result = (status: EnrichmentResult['status'], extra: Partial<EnrichmentResult> = {}): EnrichmentResult => ({
    companyId,
    status,
    source: null,
    filled: [],
    error: null,
    ...extra,
  });
  if (company.domain === null) {
    await setStatus(deps.db, workspaceId, companyId, { status: 'skipped', now });
    return result('skipped');
  }
  const cached = options.force
    ? null
    : await readCache(deps.db, workspaceId, company.domain, now - settings.cacheDays * DAY);
  let answer: EnrichmentAnswer;
  if (cached) answer = cached;
  else if (settings.url === null || settings.secret === null)
    answer = { kind: 'failed', error: 'no enrichment endpoint is configured: PUT /api/enrichment/settings' };
  else
    answer = await callEnrichmentEndpoint({
      url: settings.url,
      secret: settings.secret,
      domain: company.domain,
      timeoutMs: settings.timeoutMs,
      now,
      allowList: deps.allowList,
    });
  const source = cached ? 'cache' : 'endpoint';
  if (!cached && (answer.kind === 'found' || answer.kind === 'not-found'))
    await writeCache(deps.db, workspaceId, company.domain, answer, now);
  switch (answer.kind) {
    case 'found': {
      const filled = await applyTraits(deps, workspaceId, companyId, answer.traits, now);
      return result('done', { source, filled });
    }
    case 'not-found':
      await setStatus(deps.db, workspaceId, companyId, { status: 'not-found', now });
      return result('not-found', { source });
    case 'retry': {
      const attempts = company.enrichment_attempts + 1;
      if (attempts >= MAX_ENRICHMENT_ATTEMPTS) {
        await setStatus(deps.db, workspaceId, companyId, { status: 'failed', now, attempts });
        return result('failed', { source, error: `${answer.error}; gave up after ${attempts} attempts` });
      }
      const backOff = Math.max(MINUTE * 2 ** (attempts - 1), answer.retryAfterMs ?? 0);
      await setStatus(deps.db, workspaceId, companyId, { status: 'retry', now, attempts, dueAt: now + backOff });
      return result('retry', { source, error: answer.error });
    }
    case 'failed':
      await setStatus(deps.db, workspaceId, companyId, {
        status: 'failed',
        now,
        attempts: company.enrichment_attempts + 1,
      });
      return result('failed', { source, error: answer.error });
  }
}

async function readCache(db: Db, workspaceId: string, domain: string, since: number): Promise<EnrichmentAnswer | null> {
  const row = await db
    .selectFrom('enrichment_cache')
    .select(['status', 'traits'])
    .where('workspace_id', '=', workspaceId)
    .where('domain', '=', domain)
    .where('fetched_at', '>=', new Date(since))
    .executeTakeFirst();
  if (!row) return null;
  return row.status === 'found' ? { kind: 'found', traits: row.traits } : { kind: 'not-found' };
}

async function writeCache(
  db: Db,
  workspaceId: string,
  domain: string,
  answer: Extract<EnrichmentAnswer, { kind: 'found' | 'not-found' }>,
  now: number,
): Promise<void> {
  const status = answer.kind === 'found' ? 'found' : 'not-found';
  const traits = JSON.stringify(answer.kind === 'found' ? answer.traits : {});
  await sql`insert into enrichment_cache (workspace_id, domain, status, traits, fetched_at)
    values (${workspaceId}, ${domain}, ${status}, ${traits}::jsonb, ${new Date(now)})
    on conflict (workspace_id, domain) do update
      set status = excluded.status, traits = excluded.traits, fetched_at = excluded.fetched_at`.execute(db);
}

async function setStatus(
  db: Db,
  workspaceId: string,
  companyId: string,
  change: { status: string; now: number; attempts?: number; dueAt?: number },
): Promise<void> {
  await db
    .updateTable('companies')
    .set({
      enrichment_status: change.status,
      enrichment_due_at: change.dueAt === undefined ? null : new Date(change.dueAt),
      ...(change.attempts === undefined ? {} : { enrichment_attempts: change.attempts }),
      ...(change.status === 'done' ? { enriched_at: new Date(change.now) } : {}),
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', companyId)
    .execute();
}

/** Fills the company's empty fields and absent properties from the traits, marks it done, rescores its contacts. */
async function applyTraits(
  deps: EnrichmentDeps,
  workspaceId: string,
  companyId: string,
  traits: Record<string, unknown>,
  now: number,
): Promise<string[]> {
  const { columns, properties } = splitCompanyTraits(traits);
  const playbook = await deps.playbooks.active(workspaceId);
  return deps.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('companies')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', companyId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const fill: Record<string, unknown> = {};
    for (const column of COMPANY_PROFILE_COLUMNS) {
      const value = columns[column];
      if (value !== undefined && value !== null && current[column] === null) fill[column] = value;
    }
    const stored = (current.properties ?? {}) as Record<string, unknown>;
    const added = Object.fromEntries(Object.entries(properties).filter(([key]) => !(key in stored)));
    await trx
      .updateTable('companies')
      .set({
        ...fill,
        properties: JSON.stringify({ ...added, ...stored }),
        enrichment_status: 'done',
        enrichment_due_at: null,
        enriched_at: new Date(now),
        updated_at: sql<Date>`now()`,
      })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', companyId)
      .execute();
    if (playbook !== null) {
      const outcome = await rescoreCompanyContacts(trx, workspaceId, playbook, now, [companyId]);
      await startHandoffs(trx, workspaceId, playbook, now, qualifiedBy(outcome));
    }
    return [...Object.keys(fill), ...Object.keys(added).map((key) => `properties.${key}`)];
  });
}
