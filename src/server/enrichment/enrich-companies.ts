import { assertUnreachable, err, type Failure, ok, type Result } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import type { ServiceDeps } from '../http/route-deps.ts';
import { type AppliedTraits, applyEnrichment } from './apply-enrichment.ts';
import { callEnrichmentEndpoint, type EnrichmentAnswer } from './call-enrichment-endpoint.ts';
import { type ClaimedCompany, claimCompaniesToEnrich } from './claim-companies-to-enrich.ts';
import { readEnrichmentCache, writeEnrichmentCache } from './enrichment-cache.ts';
import { type EnrichmentSettings, getEnrichmentSettings } from './enrichment-settings.ts';

const MINUTE = 60_000;
/** Attempts before a company's enrichment is given up (`failed`); retries after 1, 2, 4, 8, 16 min. */
export const MAX_ENRICHMENT_ATTEMPTS = 6;
/** Requests a sweep has in flight at once. */
export const ENRICHMENT_CONCURRENCY = 4;
/**
 * A sweep starts no request after this long (by the deps' clock): with the longest timeout
 * (30 s) it ends within its minute, before the next slot's sweep, and it never holds the job
 * runner's batch for long. Companies it did not reach wait for the next sweep.
 */
export const SWEEP_BUDGET_MS = 25_000;
/** How long a claimed company is kept from other sweeps: longer than any sweep. */
const CLAIM_LEASE_MS = 5 * MINUTE;

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
  /** Profile fields and properties that were empty and are now set. */
  applied: AppliedTraits;
  /** Why it will be retried or failed: a status code or a network error, never a body. */
  error: string | null;
}

/**
 * The `company-enrichment` sweep: when the workspace's endpoint is enabled, takes up to its
 * `ratePerMinute` companies that were never tried or whose retry is due, oldest first, a few
 * at a time, and enriches each. One sweep a minute, so the batch bound is the rate limit.
 */
export async function enrichDueCompanies(
  deps: EnrichmentDeps,
  workspaceId: string,
  now: number,
): Promise<EnrichmentResult[]> {
  const settings = await getEnrichmentSettings(deps.db, workspaceId);
  if (!settings.enabled) return [];
  const startedAt = deps.clock();
  const results: EnrichmentResult[] = [];
  while (results.length < settings.ratePerMinute && deps.clock() - startedAt < SWEEP_BUDGET_MS) {
    const limit = Math.min(ENRICHMENT_CONCURRENCY, settings.ratePerMinute - results.length);
    const claimed = await claimCompaniesToEnrich(deps.db, workspaceId, now, now + CLAIM_LEASE_MS, limit);
    results.push(
      ...(await settleAll(claimed.map((company) => enrichCompany(deps, workspaceId, company, settings, now)))),
    );
    if (claimed.length < limit) break;
  }
  return results;
}

/** Why a company could not be enriched now. */
export type EnrichNowFailure = Failure<'not-found' | 'not-configured'>;

/** Enriches one company at once (`POST /api/companies/:id/enrich`), asking the endpoint even when an answer is cached. */
export async function enrichCompanyNow(
  deps: EnrichmentDeps,
  workspaceId: string,
  companyId: string,
  now: number,
): Promise<Result<EnrichmentResult, EnrichNowFailure>> {
  const settings = await getEnrichmentSettings(deps.db, workspaceId);
  if (settings.url === null || settings.secret === null) {
    const message = 'no enrichment endpoint is configured: set one with PUT /api/enrichment/settings';
    return err({ kind: 'not-configured', message });
  }
  const company = await deps.db
    .selectFrom('companies')
    .select(['id', 'domain', 'enrichment_attempts as attempts'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', companyId)
    .executeTakeFirst();
  if (!company) return err({ kind: 'not-found', message: `no company with id ${companyId}` });
  return ok(await enrichCompany(deps, workspaceId, company, settings, now, { force: true }));
}

/**
 * Enriches one company: without a domain it is `skipped`; a cached answer for its domain is
 * used unless `force`; else the endpoint is asked, outside any transaction. 429, 5xx and no
 * answer retry with back-off up to MAX_ENRICHMENT_ATTEMPTS; other answers fail at once.
 */
async function enrichCompany(
  deps: EnrichmentDeps,
  workspaceId: string,
  company: ClaimedCompany,
  settings: EnrichmentSettings,
  now: number,
  options: { force?: boolean } = {},
): Promise<EnrichmentResult> {
  const result = (status: EnrichmentResult['status'], extra: Partial<EnrichmentResult> = {}): EnrichmentResult => ({
    companyId: company.id,
    status,
    source: null,
    applied: { fields: {}, properties: {} },
    error: null,
    ...extra,
  });
  const mark = (change: StatusChange) => setEnrichmentStatus(deps.db, workspaceId, company.id, change);
  if (company.domain === null) {
    await mark({ status: 'skipped' });
    return result('skipped');
  }
  const cached = options.force
    ? null
    : await readEnrichmentCache(deps.db, workspaceId, company.domain, settings.cacheDays, now);
  const answer: EnrichmentAnswer = cached ?? (await askEndpoint(deps, settings, company.domain, now));
  const source = cached ? 'cache' : 'endpoint';
  if (!cached && (answer.kind === 'found' || answer.kind === 'not-found'))
    await writeEnrichmentCache(deps.db, workspaceId, company.domain, answer, now);
  const attempts = company.attempts + 1;
  switch (answer.kind) {
    case 'found': {
      const applied = await applyEnrichment(deps, workspaceId, company.id, answer.traits, now);
      return result('done', { source, applied });
    }
    case 'not-found':
      await mark({ status: 'not-found' });
      return result('not-found', { source });
    case 'retry':
      if (attempts >= MAX_ENRICHMENT_ATTEMPTS) {
        await mark({ status: 'failed', attempts });
        return result('failed', { source, error: `${answer.error}; gave up after ${attempts} attempts` });
      }
      await mark({ status: 'retry', attempts, dueAt: now + enrichmentRetryDelay(attempts, answer.retryAfterMs) });
      return result('retry', { source, error: answer.error });
    case 'failed':
      await mark({ status: 'failed', attempts });
      return result('failed', { source, error: answer.error });
    default:
      return assertUnreachable(answer);
  }
}

/** The wait after failed attempt number `attempts`: 1 min × 2^(attempts − 1), or Retry-After when longer. */
export function enrichmentRetryDelay(attempts: number, retryAfterMs: number | null): number {
  return Math.max(MINUTE * 2 ** (attempts - 1), retryAfterMs ?? 0);
}

function askEndpoint(
  deps: EnrichmentDeps,
  settings: EnrichmentSettings,
  domain: string,
  now: number,
): Promise<EnrichmentAnswer> {
  if (settings.url === null || settings.secret === null)
    return Promise.resolve({ kind: 'failed', error: 'no enrichment endpoint is configured' });
  const { url, secret, timeoutMs } = settings;
  return callEnrichmentEndpoint({ url, secret, domain, timeoutMs, now, allowList: deps.allowList });
}

interface StatusChange {
  status: Exclude<EnrichmentResult['status'], 'done'>;
  attempts?: number;
  /** When to try again (`retry`); the other statuses are final and clear it. */
  dueAt?: number;
}

async function setEnrichmentStatus(
  db: Db,
  workspaceId: string,
  companyId: string,
  change: StatusChange,
): Promise<void> {
  await db
    .updateTable('companies')
    .set({
      enrichment_status: change.status,
      enrichment_due_at: change.dueAt === undefined ? null : new Date(change.dueAt),
      ...(change.attempts === undefined ? {} : { enrichment_attempts: change.attempts }),
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', companyId)
    .execute();
}

/** Waits for every company of a chunk before reporting a failure, so none is left mid-way behind a rejection. */
async function settleAll<T>(work: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  const rejected = settled.find((outcome) => outcome.status === 'rejected');
  if (rejected) throw rejected.reason;
  return settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
}
