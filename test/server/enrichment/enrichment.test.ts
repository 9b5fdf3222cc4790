import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrichDueCompanies, MAX_ENRICHMENT_ATTEMPTS } from '../../../src/server/enrichment/enrich-companies.ts';
import { verifyWebhook } from '../../../src/server/webhooks/sign-webhook.ts';
import { handoffDriver } from '../handoff/handoff-helpers.ts';
import { useTestApp } from '../helpers/test-app.ts';

const MINUTE = 60_000;
const t = useTestApp(undefined, { webhookAllowList: ['127.0.0.1/32'] });
const h = handoffDriver(t);

/** A local enrichment service: verifies each request's signature and answers per domain. */
class EnrichmentServer {
  secret = '';
  calls: string[] = [];
  badSignatures = 0;
  /** Per domain: the answers to give, in turn (the last one repeats). */
  script = new Map<string, Array<{ status: number; body?: unknown; headers?: Record<string, string> }>>();
  private server: Server = createServer((request, response) => this.answer(request, response));
  url = '';

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/enrich`;
  }

  async stop() {
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(request: IncomingMessage, response: ServerResponse) {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const verified = verifyWebhook({ secret: this.secret, headers: request.headers, body, now: t.clock.now });
      if (!verified.ok) {
        this.badSignatures++;
        response.writeHead(401).end();
        return;
      }
      const { domain } = JSON.parse(body) as { domain: string };
      this.calls.push(domain);
      const answers = this.script.get(domain) ?? [{ status: 404 }];
      const next = answers.length > 1 ? (answers.shift() as (typeof answers)[number]) : answers[0];
      response.writeHead(next?.status ?? 404, { 'content-type': 'application/json', ...next?.headers });
      response.end(next?.body === undefined ? '' : JSON.stringify(next.body));
    });
  }
}

const service = new EnrichmentServer();
beforeAll(() => service.start());
afterAll(() => service.stop());

async function api(method: 'GET' | 'PUT' | 'POST', url: string, payload?: object, auth = t.secretAuth) {
  return t.app.inject({ method, url, headers: { authorization: auth }, payload });
}

async function company(domain: string) {
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
    ])
    .where('domain', '=', domain)
    .executeTakeFirstOrThrow();
}

const sweep = () =>
  enrichDueCompanies(
    { db: t.db, playbooks: t.playbooks, clock: () => t.clock.now, allowList: ['127.0.0.1/32'] },
    t.workspaceId,
    t.clock.now,
  );

describe('company enrichment through an endpoint', () => {
  it('is configured by admins only, refuses bad URLs, and shows the signing secret once', async () => {
    const manager = await h.key('manager', 'mgr-enrich');
    expect((await api('GET', '/api/enrichment/settings', undefined, manager)).statusCode).toBe(403);
    const bad = await api('PUT', '/api/enrichment/settings', { url: 'ftp://example.org/x', enabled: true });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('enrichment URL');
    const noUrl = await api('PUT', '/api/enrichment/settings', { enabled: true });
    expect(noUrl.statusCode).toBe(400);
    expect(noUrl.json().error.message).toContain('set `url`');
    const saved = await api('PUT', '/api/enrichment/settings', { url: service.url, enabled: true, ratePerMinute: 2 });
    expect(saved.statusCode).toBe(200);
    service.secret = saved.json().secret;
    expect(service.secret).toMatch(/^whsec_/);
    const read = (await api('GET', '/api/enrichment/settings')).json();
    expect(read).toMatchObject({ url: service.url, enabled: true, ratePerMinute: 2, hasSecret: true });
    expect(read.secret).toBeUndefined();
  });

  it('fills only what is empty, caches the answer, keeps to the rate and rescores the people', async () => {
    service.script.set('acme-rockets.example', [
      {
        status: 200,
        body: {
          name: 'ACME Rockets (enriched)',
          employees: 850,
          industry: 'software',
          technologies: ['HubSpot'],
          tier: 'gold',
        },
      },
    ]);
    service.script.set('unknown-co.example', [{ status: 404 }]);
    const batch = [
      { type: 'identify', userId: 'enr-1', traits: { email: 'ann@acme-rockets.example', jobTitle: 'VP Marketing' } },
      { type: 'group', userId: 'enr-1', groupId: 'acme-rockets.example', traits: { name: 'ACME Rockets' } },
      { type: 'identify', userId: 'enr-2', traits: { email: 'bo@unknown-co.example' } },
    ];
    expect((await t.send('/v1/batch', { batch })).json().errors).toEqual([]);
    await t.send('/v1/identify', { userId: 'enr-3', traits: { email: 'cy@later-co.example' } });
    const fitBefore = (
      await t.db.selectFrom('contacts').select('fit').where('user_id', '=', 'enr-1').executeTakeFirstOrThrow()
    ).fit;

    const first = await sweep();
    // Two a minute: the third company waits for the next sweep.
    expect(first.map((result) => result.status).sort()).toEqual(['done', 'not-found']);
    expect([...service.calls].sort()).toEqual(['acme-rockets.example', 'unknown-co.example']);
    expect(service.badSignatures).toBe(0);
    const acme = await company('acme-rockets.example');
    expect(acme).toMatchObject({ name: 'ACME Rockets', employees: 850, industry: 'software', technologies: 'HubSpot' });
    expect(acme.properties).toMatchObject({ tier: 'gold' });
    expect(first.find((result) => result.status === 'done')?.filled).toEqual(
      expect.arrayContaining(['employees', 'industry', 'technologies', 'properties.tier']),
    );
    await t.scoring.drain();
    const fitAfter = (
      await t.db.selectFrom('contacts').select('fit').where('user_id', '=', 'enr-1').executeTakeFirstOrThrow()
    ).fit;
    expect(fitAfter).toBeGreaterThan(fitBefore);
    expect((await company('unknown-co.example')).enrichment_status).toBe('not-found');

    const second = await sweep();
    expect(second.map((result) => result.status)).toEqual(['not-found']);
    expect(service.calls).toHaveLength(3);
    expect(await sweep()).toEqual([]);

    // Another company of a domain already answered uses the cache; asking now goes to the endpoint.
    await t.db.updateTable('companies').set({ enrichment_status: null }).where('id', '=', acme.id).execute();
    const cached = await sweep();
    expect(cached).toMatchObject([{ status: 'done', source: 'cache', filled: [] }]);
    expect(service.calls).toHaveLength(3);
    const now = await api('POST', `/api/companies/${acme.id}/enrich`);
    expect(now.json()).toMatchObject({ status: 'done', source: 'endpoint' });
    expect(service.calls).toHaveLength(4);
  });

  it('retries 503s with back-off and Retry-After, then gives up', async () => {
    service.script.set('flaky-co.example', [
      { status: 503 },
      { status: 429, headers: { 'retry-after': '600' } },
      { status: 200, body: { employees: 12 } },
    ]);
    await t.send('/v1/identify', { userId: 'enr-4', traits: { email: 'di@flaky-co.example' } });
    const start = t.clock.now;
    try {
      expect((await sweep()).find((r) => r.status === 'retry')).toBeDefined();
      expect((await company('flaky-co.example')).enrichment_attempts).toBe(1);
      expect(await sweep()).toEqual([]);
      t.clock.now = start + MINUTE;
      expect((await sweep()).map((r) => r.status)).toEqual(['retry']);
      // Retry-After 600 s is longer than the 2-minute back-off.
      t.clock.now = start + 3 * MINUTE + 1;
      expect(await sweep()).toEqual([]);
      t.clock.now = start + MINUTE + 10 * MINUTE;
      expect((await sweep()).map((r) => r.status)).toEqual(['done']);
      expect((await company('flaky-co.example')).employees).toBe(12);

      service.script.set('down-co.example', [{ status: 500 }]);
      await t.send('/v1/identify', { userId: 'enr-5', traits: { email: 'ed@down-co.example' } });
      const down = await company('down-co.example');
      let last: string | undefined;
      for (let attempt = 1; attempt <= MAX_ENRICHMENT_ATTEMPTS; attempt++) {
        t.clock.now += 40 * MINUTE;
        last = (await sweep()).find((result) => result.companyId === down.id)?.status;
      }
      expect(last).toBe('failed');
      expect((await company('down-co.example')).enrichment_status).toBe('failed');
    } finally {
      t.clock.now = start;
    }
  });

  it('skips a company without a domain', async () => {
    const created = await api('POST', '/api/companies', { name: 'No Domain Ltd' });
    expect(created.statusCode).toBe(201);
    const results = await sweep();
    expect(results).toContainEqual(expect.objectContaining({ companyId: created.json().id, status: 'skipped' }));
  });
});
