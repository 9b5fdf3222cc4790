import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ENRICHMENT_CONCURRENCY,
  enrichDueCompanies,
  enrichmentRetryDelay,
  MAX_ENRICHMENT_ATTEMPTS,
  SWEEP_BUDGET_MS,
} from '../../../src/server/enrichment/enrich-companies.ts';
import { handoffDriver } from '../handoff/handoff-helpers.ts';
import { useTestApp } from '../helpers/test-app.ts';
import { type EnrichmentServer, startEnrichmentServer } from './enrichment-server.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ALLOW = ['127.0.0.1/32'];
const t = useTestApp(undefined, { webhookAllowList: ALLOW });
const h = handoffDriver(t);
let service: EnrichmentServer;

beforeAll(async () => {
  service = await startEnrichmentServer(() => t.clock.now);
});
afterAll(() => service.stop());

function api(method: 'GET' | 'PUT' | 'POST', url: string, payload?: object, auth = t.secretAuth) {
  return t.app.inject({ method, url, headers: { authorization: auth }, payload });
}

/** Changes the settings; a secret in the answer is handed to the local service. */
async function configure(settings: object) {
  const response = await api('PUT', '/api/enrichment/settings', settings);
  expect(response.statusCode).toBe(200);
  const body = response.json();
  if (body.secret) service.state.secret = body.secret;
  return body;
}

/** The job's sweep at the test clock; `clock` is what the sweep measures its time budget with. */
function sweep(clock = () => t.clock.now) {
  return enrichDueCompanies({ db: t.db, playbooks: t.playbooks, clock, allowList: ALLOW }, t.workspaceId, t.clock.now);
}

/** A company of `domain`, made by a person with a work email there. */
async function addCompany(domain: string, traits: Record<string, unknown> = {}) {
  const userId = `person-of-${domain}`;
  const response = await t.send('/v1/identify', { userId, traits: { email: `pat@${domain}`, ...traits } });
  expect(response.statusCode).toBe(200);
  return (await company(domain)).id;
}

function company(domain: string) {
  return t.db
    .selectFrom('companies')
    .select([
      'id',
      'name',
      'employees',
      'industry',
      'technologies',
      'properties',
      'enrichment_status',
      'enrichment_attempts',
      'enrichment_due_at',
      'enriched_at',
    ])
    .where('domain', '=', domain)
    .executeTakeFirstOrThrow();
}

async function fitOf(userId: string) {
  return (await t.db.selectFrom('contacts').select('fit').where('user_id', '=', userId).executeTakeFirstOrThrow()).fit;
}

describe('enrichment settings', () => {
  it('are for admins only, and enriching needs a configured endpoint', async () => {
    const manager = await h.key('manager', 'mgr-enrich');
    const someCompany = randomUUID();
    expect((await api('GET', '/api/enrichment/settings', undefined, manager)).statusCode).toBe(403);
    expect((await api('PUT', '/api/enrichment/settings', { enabled: false }, manager)).statusCode).toBe(403);
    expect((await api('POST', `/api/companies/${someCompany}/enrich`, undefined, manager)).statusCode).toBe(403);
    const unconfigured = await api('POST', `/api/companies/${someCompany}/enrich`);
    expect(unconfigured.statusCode).toBe(400);
    expect(unconfigured.json().error.message).toContain('PUT /api/enrichment/settings');
  });

  it('refuse what Ripen may not call, saying what to fix', async () => {
    const ftp = await api('PUT', '/api/enrichment/settings', { url: 'ftp://example.org/x', enabled: true });
    expect(ftp.statusCode).toBe(400);
    expect(ftp.json().error).toMatchObject({ code: 'invalid_url' });
    expect(ftp.json().error.message).toMatch(/^enrichment URL .* only http: and https: URLs are allowed/);
    const internal = await api('PUT', '/api/enrichment/settings', { url: 'http://10.0.0.7/enrich' });
    expect(internal.statusCode).toBe(400);
    expect(internal.json().error.message).toContain('RIPEN_WEBHOOK_ALLOW=10.0.0.7/32');
    const noUrl = await api('PUT', '/api/enrichment/settings', { url: null, enabled: true });
    expect(noUrl.statusCode).toBe(400);
    expect(noUrl.json().error.message).toContain('set `url`');
    const tooFast = await api('PUT', '/api/enrichment/settings', { ratePerMinute: 0 });
    expect(tooFast.statusCode).toBe(400);
    expect(tooFast.json().error.message).toContain('ratePerMinute');
    const tooSlow = await api('PUT', '/api/enrichment/settings', { timeoutMs: 120_000 });
    expect(tooSlow.json().error.message).toContain('timeoutMs');
    expect((await api('GET', '/api/enrichment/settings')).json()).toMatchObject({ url: null, hasSecret: false });
  });

  it('show the signing secret once, never on reading, and record each change', async () => {
    const made = await configure({ url: service.state.url, enabled: false });
    expect(made).toMatchObject({ url: service.state.url, enabled: false, ratePerMinute: 60, cacheDays: 30 });
    expect(made.secret).toMatch(/^whsec_/);
    const read = (await api('GET', '/api/enrichment/settings')).json();
    expect(read).toMatchObject({ url: service.state.url, hasSecret: true, timeoutMs: 5000 });
    expect(read.secret).toBeUndefined();
    const changed = await configure({ ratePerMinute: 5 });
    expect(changed).toMatchObject({ url: service.state.url, ratePerMinute: 5, hasSecret: true });
    expect(changed.secret).toBeUndefined();
    const rotated = await configure({ rotateSecret: true });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(made.secret);

    const audit = await t.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'enrichment.changed')
      .execute();
    expect(audit).toHaveLength(3);
    expect(JSON.stringify(audit)).not.toContain('whsec_');
  });
});

describe('the company-enrichment sweep', () => {
  beforeAll(async () => {
    await configure({ url: service.state.url, enabled: true, ratePerMinute: 10, cacheDays: 30, rotateSecret: true });
  });

  beforeEach(async () => {
    // Each test starts with no company due: those an earlier test left are put aside.
    await t.db
      .updateTable('companies')
      .set({ enrichment_status: 'failed' })
      .where((eb) => eb.or([eb('enrichment_status', 'is', null), eb('enrichment_status', '=', 'retry')]))
      .execute();
    service.state.onCall = () => {};
  });

  it('does nothing while enrichment is disabled', async () => {
    await configure({ enabled: false });
    try {
      await addCompany('quiet-co.example');
      expect(await sweep()).toEqual([]);
      expect(service.callsFor('quiet-co.example')).toBe(0);
    } finally {
      await configure({ enabled: true });
    }
  });

  it('signs its request, fills only empty fields and absent properties, and rescores the people', async () => {
    service.state.script.set('acme-rockets.example', [
      {
        status: 200,
        body: {
          name: 'ACME Rockets (enriched)',
          employees: 850,
          industry: 'software',
          technologies: ['HubSpot', 'Segment'],
          tier: 'gold',
          region: 'EMEA',
        },
      },
    ]);
    const batch = [
      { type: 'identify', userId: 'enr-1', traits: { email: 'ann@acme-rockets.example', jobTitle: 'VP Marketing' } },
      {
        type: 'group',
        userId: 'enr-1',
        groupId: 'acme-rockets.example',
        traits: { name: 'ACME Rockets', tier: 'silver' },
      },
    ];
    expect((await t.send('/v1/batch', { batch })).json().errors).toEqual([]);
    const fitBefore = await fitOf('enr-1');

    const [result] = await sweep();
    expect(result).toMatchObject({
      status: 'done',
      source: 'endpoint',
      applied: {
        fields: { employees: 850, industry: 'software', technologies: 'HubSpot, Segment' },
        properties: { region: 'EMEA' },
      },
      error: null,
    });
    expect(service.state.badSignatures).toBe(0);
    expect(service.callsFor('acme-rockets.example')).toBe(1);
    const acme = await company('acme-rockets.example');
    expect(acme).toMatchObject({ name: 'ACME Rockets', employees: 850, enrichment_status: 'done' });
    expect(acme.properties).toEqual({ tier: 'silver', region: 'EMEA' });
    expect(acme.enriched_at).toEqual(new Date(t.clock.now));
    // Rescored in the enrichment's own transaction: the size and industry points are there already.
    expect(await fitOf('enr-1')).toBeGreaterThan(fitBefore);
  });

  it('keeps an answer per domain for cacheDays, and remembers a 404 as not-found', async () => {
    service.state.script.set('cached-co.example', [{ status: 200, body: { employees: 40 } }]);
    const cachedId = await addCompany('cached-co.example');
    const unknownId = await addCompany('unknown-co.example');
    const first = await sweep();
    expect(first.map((r) => [r.companyId, r.status, r.source])).toEqual([
      [cachedId, 'done', 'endpoint'],
      [unknownId, 'not-found', 'endpoint'],
    ]);
    expect((await company('unknown-co.example')).enrichment_status).toBe('not-found');

    const askAgain = () =>
      t.db.updateTable('companies').set({ enrichment_status: null }).where('id', 'in', [cachedId, unknownId]).execute();
    const start = t.clock.now;
    try {
      t.clock.now = start + 30 * DAY - 1;
      await askAgain();
      expect((await sweep()).map((r) => [r.status, r.source])).toEqual([
        ['done', 'cache'],
        ['not-found', 'cache'],
      ]);
      expect(service.callsFor('cached-co.example')).toBe(1);
      expect(service.callsFor('unknown-co.example')).toBe(1);

      t.clock.now = start + 30 * DAY;
      await askAgain();
      expect((await sweep()).map((r) => r.source)).toEqual(['endpoint', 'endpoint']);
      expect(service.callsFor('cached-co.example')).toBe(2);
      expect(service.callsFor('unknown-co.example')).toBe(2);
    } finally {
      t.clock.now = start;
    }
  });

  it('asks about at most ratePerMinute companies per sweep, oldest first', async () => {
    await configure({ ratePerMinute: 2 });
    try {
      const ids = [];
      for (const domain of ['rate-1.example', 'rate-2.example', 'rate-3.example']) {
        service.state.script.set(domain, [{ status: 200, body: { employees: 5 } }]);
        ids.push(await addCompany(domain));
      }
      expect((await sweep()).map((r) => r.companyId)).toEqual(ids.slice(0, 2));
      expect(service.callsFor('rate-3.example')).toBe(0);
      expect((await sweep()).map((r) => r.companyId)).toEqual(ids.slice(2));
      expect(await sweep()).toEqual([]);
    } finally {
      await configure({ ratePerMinute: 10 });
    }
  });

  it('skips a company without a domain, asking nothing', async () => {
    const created = await api('POST', '/api/companies', { name: 'No Domain Ltd' });
    expect(created.statusCode).toBe(201);
    const asked = service.state.calls.length;
    expect(await sweep()).toMatchObject([{ companyId: created.json().id, status: 'skipped' }]);
    expect(service.state.calls).toHaveLength(asked);
    expect((await api('GET', `/api/companies/${created.json().id}`)).json()).toMatchObject({ enrichment: 'skipped' });
  });

  it('retries a 503 after a minute and a 429 after its longer Retry-After', async () => {
    service.state.script.set('flaky-co.example', [
      { status: 503 },
      { status: 429, headers: { 'retry-after': '600' } },
      { status: 200, body: { employees: 12 } },
    ]);
    await addCompany('flaky-co.example');
    const start = t.clock.now;
    try {
      expect(await sweep()).toMatchObject([{ status: 'retry', error: 'the endpoint answered 503' }]);
      expect(await company('flaky-co.example')).toMatchObject({
        enrichment_status: 'retry',
        enrichment_attempts: 1,
        enrichment_due_at: new Date(start + MINUTE),
      });
      t.clock.now = start + MINUTE - 1;
      expect(await sweep()).toEqual([]);
      t.clock.now = start + MINUTE;
      expect((await sweep()).map((r) => r.status)).toEqual(['retry']);
      // Retry-After: 600 s is longer than the 2-minute back-off.
      t.clock.now = start + 11 * MINUTE - 1;
      expect(await sweep()).toEqual([]);
      t.clock.now = start + 11 * MINUTE;
      expect((await sweep()).map((r) => r.status)).toEqual(['done']);
      expect(await company('flaky-co.example')).toMatchObject({ employees: 12, enrichment_due_at: null });
      expect(service.callsFor('flaky-co.example')).toBe(3);
    } finally {
      t.clock.now = start;
    }
  });

  it('gives up after the last attempt', async () => {
    service.state.script.set('down-co.example', [{ status: 500 }]);
    await addCompany('down-co.example');
    const start = t.clock.now;
    const statuses: string[] = [];
    try {
      for (let attempt = 1; attempt <= MAX_ENRICHMENT_ATTEMPTS; attempt++) {
        statuses.push(...(await sweep()).map((r) => r.status));
        t.clock.now += enrichmentRetryDelay(attempt, null);
      }
      expect(statuses).toEqual([...Array(MAX_ENRICHMENT_ATTEMPTS - 1).fill('retry'), 'failed']);
      expect(await company('down-co.example')).toMatchObject({
        enrichment_status: 'failed',
        enrichment_attempts: MAX_ENRICHMENT_ATTEMPTS,
      });
      t.clock.now += DAY;
      expect(await sweep()).toEqual([]);
      expect(service.callsFor('down-co.example')).toBe(MAX_ENRICHMENT_ATTEMPTS);
    } finally {
      t.clock.now = start;
    }
  });

  it('fails at once on another 4xx, or an answer that is not a JSON object, without repeating the answer', async () => {
    service.state.script.set('refused-co.example', [{ status: 403, rawBody: 'secret-sauce' }]);
    service.state.script.set('text-co.example', [{ status: 200, rawBody: 'secret-sauce' }]);
    service.state.script.set('list-co.example', [{ status: 200, body: ['secret-sauce'] }]);
    for (const domain of ['refused-co.example', 'text-co.example', 'list-co.example']) await addCompany(domain);
    const results = await sweep();
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    expect(results.map((r) => r.error)).toEqual([
      expect.stringContaining('answered 403'),
      expect.stringContaining('not JSON'),
      expect.stringContaining('not an object'),
    ]);
    expect(JSON.stringify(results)).not.toContain('secret-sauce');
    expect((await company('text-co.example')).enrichment_status).toBe('failed');
  });

  it('never has two sweeps at once ask about the same company', async () => {
    const domains = ['pair-1.example', 'pair-2.example', 'pair-3.example'];
    for (const domain of domains) {
      service.state.script.set(domain, [{ status: 200, body: { employees: 7 } }]);
      await addCompany(domain);
    }
    const [one, other] = await Promise.all([sweep(), sweep()]);
    expect([...(one ?? []), ...(other ?? [])].map((r) => r.status)).toEqual(['done', 'done', 'done']);
    expect(domains.map((domain) => service.callsFor(domain))).toEqual([1, 1, 1]);
  });

  it('starts no request once its time budget is spent, leaving the rest to the next sweep', async () => {
    const domains = Array.from({ length: ENRICHMENT_CONCURRENCY + 1 }, (_, i) => `slow-${i}.example`);
    for (const domain of domains) {
      service.state.script.set(domain, [{ status: 200, body: { employees: 9 } }]);
      await addCompany(domain);
    }
    // Each answer takes a third of the budget: after the first requests the budget is spent.
    let elapsed = 0;
    service.state.onCall = () => {
      elapsed += Math.ceil(SWEEP_BUDGET_MS / 3);
    };
    expect(await sweep(() => t.clock.now + elapsed)).toHaveLength(ENRICHMENT_CONCURRENCY);
    expect(await sweep()).toHaveLength(1);
    expect(domains.map((domain) => service.callsFor(domain))).toEqual(domains.map(() => 1));
  });

  it('enriches one company on request, asking again despite a kept answer', async () => {
    service.state.script.set('now-co.example', [
      { status: 200, body: { employees: 30 } },
      { status: 200, body: { employees: 99, industry: 'software' } },
    ]);
    const id = await addCompany('now-co.example');
    expect((await sweep()).map((r) => r.status)).toEqual(['done']);
    const now = await api('POST', `/api/companies/${id}/enrich`);
    expect(now.statusCode).toBe(200);
    expect(now.json()).toEqual({
      companyId: id,
      status: 'done',
      source: 'endpoint',
      applied: { fields: { industry: 'software' }, properties: {} },
      error: null,
    });
    expect(await company('now-co.example')).toMatchObject({ employees: 30, industry: 'software' });
    expect(service.callsFor('now-co.example')).toBe(2);
    expect((await api('POST', `/api/companies/${randomUUID()}/enrich`)).statusCode).toBe(404);
  });
});
