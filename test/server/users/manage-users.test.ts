import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../../src/server/users/sessions.ts';
import { signedInPerson, signIn as signInAs } from '../helpers/sign-in-as.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

const signIn = (email: string, password: string) => signInAs(t, email, password);
const person = (role: string) => signedInPerson(t, role);

async function audit(action: string, target: string) {
  return t.db
    .selectFrom('audit_log')
    .select(['actor', 'details'])
    .where('action', '=', action)
    .where('target', '=', target)
    .execute();
}

describe('managing people', () => {
  it('lets an admin add a person, whose one-time password signs them in', async () => {
    const admin = await person('admin');
    const added = await admin.call('POST', '/api/users', { email: 'New.Rep@Example.com', role: 'rep' });
    expect(added.statusCode).toBe(201);
    const { user, password } = added.json();
    expect(user).toMatchObject({ email: 'new.rep@example.com', role: 'rep' });
    expect(await signIn('new.rep@example.com', password)).not.toBeNull();
    expect((await admin.call('GET', '/api/users')).json().items.map((item: { email: string }) => item.email)).toContain(
      'new.rep@example.com',
    );
    expect(await audit('user.created', 'new.rep@example.com')).toEqual([
      { actor: `user:${admin.email}`, details: { role: 'rep' } },
    ]);
    const again = await admin.call('POST', '/api/users', { email: 'new.rep@example.com', role: 'viewer' });
    expect(again.statusCode).toBe(409);
  });

  it('changes a role for the person’s open session at once, and records it', async () => {
    const admin = await person('admin');
    const rep = await person('rep');
    expect((await rep.call('GET', '/api/users')).statusCode).toBe(403);
    const changed = await admin.call('PATCH', `/api/users/${rep.id}`, { role: 'manager' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().role).toBe('manager');
    expect((await rep.call('GET', '/api/session')).json().user.role).toBe('manager');
    expect(await audit('user.role-changed', rep.email)).toEqual([
      { actor: `user:${admin.email}`, details: { from: 'rep', to: 'manager' } },
    ]);
  });

  it('removes a person: their sessions end, they cannot sign in, their removal is recorded', async () => {
    const admin = await person('admin');
    const viewer = await person('viewer');
    expect((await admin.call('DELETE', `/api/users/${viewer.id}`)).statusCode).toBe(204);
    expect((await viewer.call('GET', '/api/contacts')).statusCode).toBe(401);
    expect(await signIn(viewer.email, viewer.password)).toBeNull();
    expect(await audit('user.removed', viewer.email)).toHaveLength(1);
    expect((await admin.call('DELETE', `/api/users/${viewer.id}`)).statusCode).toBe(404);
  });

  it('never leaves the workspace without an admin', async () => {
    const admins = await t.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('removed_at', 'is', null)
      .execute();
    const last = await person('admin');
    for (const other of admins) {
      expect((await last.call('DELETE', `/api/users/${other.id}`)).statusCode).toBe(204);
    }
    const demote = await last.call('PATCH', `/api/users/${last.id}`, { role: 'viewer' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.message).toContain('last admin');
    expect((await last.call('DELETE', `/api/users/${last.id}`)).statusCode).toBe(409);
  });
});

describe('changing one’s password', () => {
  it('checks the current password and the new one, ends every session, and starts a fresh one', async () => {
    const rep = await person('rep');
    const elsewhere = await signIn(rep.email, rep.password);
    const wrong = await rep.call('POST', '/api/session/password', {
      current: 'not it',
      next: 'a long enough password',
    });
    expect(wrong.statusCode).toBe(403);
    const weak = await rep.call('POST', '/api/session/password', { current: rep.password, next: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.message).toContain('12 characters');
    const changed = await rep.call('POST', '/api/session/password', {
      current: rep.password,
      next: 'correct horse battery staple',
    });
    expect(changed.statusCode).toBe(200);
    const fresh = changed.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
    expect(fresh).toBeTruthy();
    expect((await rep.call('GET', '/api/session')).statusCode).toBe(401);
    expect((await elsewhere?.call('GET', '/api/session'))?.statusCode).toBe(401);
    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { cookie: `${SESSION_COOKIE}=${fresh}` },
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().csrfToken).toBe(changed.json().csrfToken);
    expect(await signIn(rep.email, rep.password)).toBeNull();
    expect(await signIn(rep.email, 'correct horse battery staple')).not.toBeNull();
    expect(await audit('password.changed', rep.email)).toHaveLength(1);
  });
});

describe('the audit log', () => {
  it('shows admins the newest entries first, a page at a time, and filters by action', async () => {
    const admin = await person('admin');
    const first = (await admin.call('GET', '/api/audit?limit=2')).json();
    expect(first.items).toHaveLength(2);
    expect(first.items[0].id).toBeGreaterThan(first.items[1].id);
    const second = (await admin.call('GET', `/api/audit?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].id).toBeLessThan(first.items[1].id);
    const signIns = (await admin.call('GET', '/api/audit?action=sign-in')).json().items;
    expect(signIns.length).toBeGreaterThan(0);
    expect(signIns.every((item: { action: string }) => item.action === 'sign-in')).toBe(true);
    expect(JSON.stringify(signIns)).not.toMatch(/password/i);
    const rep = await person('rep');
    expect((await rep.call('GET', '/api/audit')).statusCode).toBe(403);
  });
});
