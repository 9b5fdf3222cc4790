import { describe, expect, it } from 'vitest';
import { createUser } from '../../../src/server/users/create-user.ts';
import { SESSION_COOKIE } from '../../../src/server/users/sessions.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

/** Signs in a new user of `role` and returns a caller that sends their cookie and CSRF token. */
async function signedIn(role: string) {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const created = await createUser(t.db, t.workspaceId, { email, role }, 'test', t.clock.now);
  if (!created.ok) throw new Error(created.error.message);
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { email, password: created.value.password },
  });
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error('no session cookie');
  const { csrfToken } = response.json();
  return {
    email,
    call: (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, csrf: string | null = csrfToken) =>
      t.app.inject({
        method,
        url,
        payload,
        headers: { cookie: `${SESSION_COOKIE}=${cookie.value}`, ...(csrf === null ? {} : { 'x-csrf-token': csrf }) },
      }),
  };
}

const DRAFT = { source: 'name: draft\n' };

describe('what a signed-in person may do, by role', () => {
  it('lets a viewer read leads and nothing else', async () => {
    const viewer = await signedIn('viewer');
    expect((await viewer.call('GET', '/api/contacts')).statusCode).toBe(200);
    const create = await viewer.call('POST', '/api/contacts', { email: 'by-viewer@example.com' });
    expect(create.statusCode).toBe(403);
    expect(create.json().error.message).toContain('your role is viewer');
    expect((await viewer.call('POST', '/api/playbook/validate', DRAFT)).statusCode).toBe(403);
    expect((await viewer.call('GET', '/api/webhooks')).statusCode).toBe(403);
  });

  it('lets marketing work on playbooks but not on leads', async () => {
    const marketing = await signedIn('marketing');
    expect((await marketing.call('POST', '/api/playbook/validate', DRAFT)).statusCode).toBe(200);
    expect((await marketing.call('POST', '/api/contacts', { email: 'by-marketing@example.com' })).statusCode).toBe(403);
    expect((await marketing.call('GET', '/api/webhooks')).statusCode).toBe(403);
  });

  it('lets a rep create leads, only with the CSRF token, and owns what is routed to their email', async () => {
    const rep = await signedIn('rep');
    const forged = await rep.call('POST', '/api/contacts', { email: 'forged@example.com' }, null);
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('csrf');
    const mine = await rep.call('POST', '/api/contacts', { email: 'by-rep@example.com', owner: rep.email });
    expect(mine.statusCode).toBe(201);
    const theirs = await rep.call('POST', '/api/contacts', { email: 'for-other@example.com', owner: 'x@example.com' });
    expect(theirs.statusCode).toBe(403);
    expect((await rep.call('POST', '/api/playbook/validate', DRAFT)).statusCode).toBe(403);
  });

  it('lets a manager edit companies and an admin manage webhooks', async () => {
    const manager = await signedIn('manager');
    expect((await manager.call('POST', '/api/companies', { domain: 'managed.example' })).statusCode).toBe(201);
    expect((await manager.call('GET', '/api/webhooks')).statusCode).toBe(403);
    const admin = await signedIn('admin');
    expect((await admin.call('GET', '/api/webhooks')).statusCode).toBe(200);
  });

  it('refuses a session that has ended, and a request with neither key nor session', async () => {
    const viewer = await signedIn('viewer');
    await t.db.deleteFrom('sessions').execute();
    const ended = await viewer.call('GET', '/api/contacts');
    expect(ended.statusCode).toBe(401);
    expect(ended.json().error.message).toContain('sign in again');
    expect((await t.app.inject({ method: 'GET', url: '/api/contacts' })).statusCode).toBe(401);
  });
});
