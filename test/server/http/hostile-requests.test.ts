import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app.ts';

let contactId: string;
let companyId: string;
const t = useTestApp();
beforeAll(async () => {
  await t.send('/v1/identify', { userId: 'hostile-1', traits: { email: 'ann@hostile-example.com', title: 'CMO' } });
  const contact = await t.db.selectFrom('contacts').select(['id', 'company_id']).executeTakeFirstOrThrow();
  contactId = contact.id;
  companyId = contact.company_id ?? '00000000-0000-0000-0000-000000000000';
});

async function request(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { authorization: t.secretAuth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) ?? 'null' }),
  });
}

/** Percent-encodes a path segment; a lone surrogate (no UTF-8 form) is sent as %ED%A0%80, as a raw client could. */
function encodePathId(id: string): string {
  return id.replace(/[\ud800-\udfff]/g, '\ufffd') === id
    ? encodeURIComponent(id)
    : `${encodeURIComponent(id.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80`;
}

const QUERIES: Record<string, string[]> = {
  '/api/contacts': ['stage', 'grade', 'temperature', 'owner', 'q', 'minScore', 'cursor', 'limit'],
  '/api/contacts/{contact}/events': ['type', 'name', 'source', 'from', 'to', 'cursor', 'limit'],
  '/api/companies': ['q', 'industry', 'cursor', 'limit'],
  '/api/jobs': ['status', 'kind', 'cursor', 'limit'],
  '/api/handoffs': ['owner', 'status', 'breached', 'contactId', 'limit'],
  '/api/webhooks/{id}/deliveries': ['status', 'cursor', 'limit'],
};

describe('hostile requests to the REST API', () => {
  it.each([
    ['a malformed cursor', '/api/contacts?cursor=not-a-cursor'],
    [
      'a cursor of valid base64 but no position',
      `/api/contacts?cursor=${Buffer.from('{"x":1}').toString('base64url')}`,
    ],
    ['minScore=1e300', '/api/contacts?minScore=1e300'],
    ['NUL in a query parameter', '/api/contacts?q=ann%00'],
    ['NUL in a company search', '/api/companies?q=a%00b'],
    ['NUL in a path id', '/api/contacts/ab%00cd'],
    ['a job id of 1e30', '/api/jobs/1e30/retry'],
    ['a delivery id of 1e30', '/api/webhooks/deliveries/1e30/replay'],
  ])('answers %s with a 4xx in the one error shape', async (_, url) => {
    const method = url.endsWith('/retry') || url.endsWith('/replay') ? 'POST' : 'GET';
    const response = await request(method, url);
    expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
    expect(response.statusCode, response.body).toBeLessThan(500);
    expect(response.json().error.code).not.toMatch(/^FST_/);
  });

  it('answers a YAML alias bomb sent to playbook validation with an issue, not a 500', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    }
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/playbook/validate',
      headers: { authorization: t.secretAuth, 'content-type': 'application/json' },
      payload: JSON.stringify({ source: lines.join('\n') }),
    });
    // Validation answers every invalid playbook with its issues (200, valid: false); never a 500.
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ valid: false });
    expect(response.json().issues[0].message).toContain('invalid YAML');
  });

  it('limits contact properties sent through the REST API as events are limited', async () => {
    const properties = { notes: 'x'.repeat(40 * 1024) };
    const created = await request('POST', '/api/contacts', { email: 'big@hostile-example.com', properties });
    expect(created.statusCode, created.body).toBe(413);
    const patched = await request('PATCH', `/api/contacts/${contactId}`, { properties });
    expect(patched.statusCode, patched.body).toBe(413);
    expect(patched.json().error.message).toContain('32 KB');
  });

  it('never answers 5xx to arbitrary Unicode in any query parameter or path id', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 16 }),
      fc.constantFrom('\0', '\ud800', '1e300', '-1e300', '1e30', 'NaN', 'Infinity', '-0', '%', '%00', '', '..', 'true'),
      fc.string({ maxLength: 16 }),
    );
    const paths = Object.keys(QUERIES);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.dictionary(fc.constantFrom(...new Set(Object.values(QUERIES).flat())), text, { maxKeys: 4 }),
        text,
        async (path, query, id) => {
          const params = new URLSearchParams(Object.entries(query)).toString();
          const url = `${path.replace('{contact}', contactId).replace('{id}', encodePathId(id))}?${params}`;
          const response = await request('GET', url);
          expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never answers 5xx to arbitrary JSON bodies or ids on the REST write routes', async () => {
    const hostileText = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('\0', 'a\0', '\ud800', '1e400'));
    const anyJson = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.dictionary(hostileText, fc.oneof(hostileText, fc.jsonValue({ maxDepth: 1 })), { maxKeys: 3 }),
      fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
      fc.record(
        {
          email: fc.oneof(fc.emailAddress(), hostileText),
          name: hostileText,
          domain: hostileText,
          jobTitle: hostileText,
          employees: fc.oneof(fc.double(), fc.constant(null), fc.integer()),
          properties: fc.jsonValue({ maxDepth: 2 }),
          reason: fc.string({ unit: 'binary' }),
          channel: fc.string({ unit: 'binary' }),
          outcome: fc.constantFrom('won', 'lost', 'x'),
          url: fc.string({ unit: 'binary' }),
        },
        { requiredKeys: [] },
      ),
    );
    const id = fc.oneof(fc.constant(contactId), fc.constant(companyId), fc.string({ unit: 'binary', maxLength: 12 }));
    const routes: Array<['POST' | 'PATCH' | 'PUT', string]> = [
      ['POST', '/api/contacts'],
      ['PATCH', '/api/contacts/{id}'],
      ['POST', '/api/companies'],
      ['PATCH', '/api/companies/{id}'],
      ['POST', '/api/contacts/{id}/touch'],
      ['POST', '/api/contacts/{id}/recycle'],
      ['POST', '/api/contacts/{id}/disqualify'],
      ['POST', '/api/contacts/{id}/qualify'],
      ['POST', '/api/contacts/{id}/outcome'],
      ['POST', '/api/webhooks'],
      ['PUT', '/api/reps/{id}/availability'],
      ['POST', '/api/playbook/validate'],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), id, anyJson, async ([method, path], which, body) => {
        const url = path.replace('{id}', encodePathId(which));
        const response = await request(method, url, body);
        expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(500);
        expect(response.json().error?.code ?? '', response.body).not.toMatch(/^FST_/);
      }),
      { numRuns: 300 },
    );
  });
});
