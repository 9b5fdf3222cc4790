import { describe, expect, it } from 'vitest';
import { parseAllowedOrigins } from '../../../src/server/workspaces/allowed-origins.ts';
import { signedInPerson } from '../helpers/sign-in-as.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

let sequence = 0;

/** Sends one track call with a write key, from a browser on `origin` (or from a server, without one). */
async function track(writeKey: string, origin?: string) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/track',
    headers: {
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
      ...(origin ? { origin } : {}),
    },
    payload: { userId: 'origin-test@example.com', event: 'Page Viewed', messageId: `origin-${++sequence}` },
  });
}

async function keyCount() {
  const row = await t.db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

describe('API keys in settings', () => {
  it('creates a write key limited to its websites: shown once, listed without it, refused from other origins', async () => {
    const admin = await signedInPerson(t, 'admin');
    const created = await admin.call('POST', '/api/keys', {
      kind: 'write',
      name: 'Website',
      allowedOrigins: ['www.example.com', 'https://shop.example.com/', 'https://www.example.com'],
    });
    expect(created.statusCode).toBe(201);
    const { key, secret } = created.json();
    expect(secret).toMatch(/^rk_write_/);
    expect(key).toMatchObject({
      kind: 'write',
      name: 'Website',
      allowedOrigins: ['https://shop.example.com', 'https://www.example.com'],
      revokedAt: null,
    });
    const listed = await admin.call('GET', '/api/keys');
    expect(listed.json().items.map((item: { id: string }) => item.id)).toContain(key.id);
    expect(listed.body).not.toContain(secret);

    expect((await track(secret, 'https://www.example.com')).statusCode).toBe(200);
    expect((await track(secret)).statusCode).toBe(200);
    const elsewhere = await track(secret, 'https://evil.example.net');
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.code).toBe('origin_not_allowed');

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor', 'target'])
      .where('action', '=', 'key.created')
      .where('target', '=', 'Website')
      .execute();
    expect(audit).toEqual([{ actor: `user:${admin.email}`, target: 'Website' }]);
  });

  it('changes a write key’s origins, and revokes keys', async () => {
    const admin = await signedInPerson(t, 'admin');
    const { key, secret } = (await admin.call('POST', '/api/keys', { kind: 'write', name: 'Blog' })).json();
    expect(key.allowedOrigins).toEqual([]);
    const changed = await admin.call('PATCH', `/api/keys/${key.id}`, { allowedOrigins: ['https://blog.example.com'] });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().allowedOrigins).toEqual(['https://blog.example.com']);
    expect((await track(secret, 'https://www.example.com')).statusCode).toBe(403);
    expect((await track(secret, 'https://blog.example.com')).statusCode).toBe(200);

    const service = (
      await admin.call('POST', '/api/keys', { kind: 'secret', name: 'CRM sync', role: 'manager' })
    ).json();
    expect(service.key).toMatchObject({ kind: 'secret', role: 'manager', userId: null });
    expect((await admin.call('PATCH', `/api/keys/${service.key.id}`, { allowedOrigins: [] })).statusCode).toBe(404);
    const revoked = await admin.call('DELETE', `/api/keys/${service.key.id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    const refused = await t.app.inject({
      method: 'GET',
      url: '/api/contacts',
      headers: { authorization: `Bearer ${service.secret}` },
    });
    expect(refused.statusCode).toBe(401);
    const actions = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['key.origins-changed', 'key.revoked'])
      .where('actor', '=', `user:${admin.email}`)
      .orderBy('id')
      .execute();
    expect(actions.map((row) => row.action)).toEqual(['key.origins-changed', 'key.revoked']);
  });

  it('refuses a bad key with a message that says what to fix, and stores nothing', async () => {
    const admin = await signedInPerson(t, 'admin');
    const before = await keyCount();
    const cases: Array<[object, RegExp]> = [
      [{ kind: 'write', name: 'x', allowedOrigins: ['https://example.com/pricing'] }, /no path/],
      [{ kind: 'write', name: 'x', allowedOrigins: ['ftp://example.com'] }, /http/],
      [{ kind: 'write', name: 'x', role: 'admin' }, /only sends events/],
      [{ kind: 'secret', name: 'x', allowedOrigins: ['https://example.com'] }, /never reach a browser/],
      [{ kind: 'secret', name: 'x', role: 'rep' }, /userId/],
      [{ kind: 'secret', name: '', role: 'admin' }, /name/],
    ];
    for (const [body, message] of cases) {
      const answer = await admin.call('POST', '/api/keys', body);
      expect(answer.statusCode, JSON.stringify(body)).toBe(400);
      expect(answer.json().error.message).toMatch(message);
    }
    expect(await keyCount()).toBe(before);
  });

  it('is for admins only', async () => {
    for (const role of ['marketing', 'manager', 'rep', 'viewer']) {
      const person = await signedInPerson(t, role);
      expect((await person.call('GET', '/api/keys')).statusCode).toBe(403);
      expect((await person.call('POST', '/api/keys', { kind: 'write', name: 'sneaky' })).statusCode).toBe(403);
    }
  });
});

describe('reading allowed origins', () => {
  it('keeps only scheme, host and port, lower-cased, sorted and without repeats', () => {
    const parsed = parseAllowedOrigins(['Example.COM', ' http://localhost:5173 ', '', 'https://example.com:443']);
    expect(parsed).toEqual({ ok: true, value: ['http://localhost:5173', 'https://example.com'] });
  });
});
