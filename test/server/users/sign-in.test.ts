import { describe, expect, it } from 'vitest';
import { createUser } from '../../../src/server/users/create-user.ts';
import { SESSION_COOKIE } from '../../../src/server/users/sessions.ts';
import { ACCOUNT_LIMIT } from '../../../src/server/users/sign-in.ts';
import { MINUTE } from '../../helpers/time.ts';
import { signedInPerson } from '../helpers/sign-in-as.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

async function newUser(email: string, role = 'rep') {
  const created = await createUser(t.db, t.workspaceId, { email, role }, 'test', t.clock.now);
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
}

async function signIn(email: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/session', payload: { email, password } });
}

function sessionCookie(response: { cookies: Array<{ name: string; value: string }> }): string {
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error('no session cookie');
  return `${SESSION_COOKIE}=${cookie.value}`;
}

async function audit(action: string) {
  return t.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();
}

describe('signing in and out', () => {
  it('signs a user in with a server-side session in an httpOnly, same-site cookie, and out again', async () => {
    const user = await newUser('Rita.Rep@Example.com');
    expect(user.email).toBe('rita.rep@example.com');
    const stored = await t.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirst();
    expect(stored?.password_hash).toMatch(/^\$argon2id\$/);

    const response = await signIn('rita.rep@example.com', user.password);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toEqual({ id: user.id, email: 'rita.rep@example.com', role: 'rep', language: null });
    // What the web app may show her: a rep works leads, but publishes and manages nothing.
    expect(body.can).toEqual({
      writeLeads: true,
      editCompanies: false,
      mergeContacts: false,
      publishPlaybook: false,
      manage: false,
      reassign: false,
    });
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
    const cookie = sessionCookie(response);
    // Only a hash of the session id is kept.
    const sessions = await t.db.selectFrom('sessions').select('id_hash').where('user_id', '=', user.id).execute();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.id_hash).not.toBe(cookie.split('=')[1]);

    const me = await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ user: body.user, can: body.can, csrfToken: body.csrfToken });

    const forged = await t.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('csrf');
    const out = await t.app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie, 'x-csrf-token': body.csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(401);

    const signIns = await audit('sign-in');
    expect(signIns.map((row) => row.actor)).toContain('user:rita.rep@example.com');
    expect(await audit('sign-out')).toHaveLength(1);
    const logged = JSON.stringify(await t.db.selectFrom('audit_log').selectAll().execute());
    expect(logged).not.toContain(user.password);
  });

  it('answers a wrong password and an unknown email alike, and throttles guessing per account', async () => {
    const user = await newUser('guessed@example.com');
    const unknown = await signIn('nobody@example.com', 'whatever-password');
    const wrong = await signIn('guessed@example.com', 'not-the-password');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    for (let i = 1; i < ACCOUNT_LIMIT; i++)
      expect((await signIn('guessed@example.com', `guess ${i}`)).statusCode).toBe(401);

    const throttled = await signIn('guessed@example.com', user.password);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['retry-after']).toBe('900');
    expect(throttled.json().error.code).toBe('throttled');
    expect(await audit('sign-in.failed')).toHaveLength(ACCOUNT_LIMIT + 1);
    expect(await audit('sign-in.throttled')).toHaveLength(1);

    t.clock.now += 15 * MINUTE + 1;
    expect((await signIn('guessed@example.com', user.password)).statusCode).toBe(200);
  });

  it('ends the sessions of a removed user', async () => {
    const user = await newUser('leaving@example.com', 'viewer');
    const cookie = sessionCookie(await signIn('leaving@example.com', user.password));
    expect((await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(200);
    await t.db
      .updateTable('users')
      .set({ removed_at: new Date(t.clock.now) })
      .where('id', '=', user.id)
      .execute();
    expect((await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('creating users', () => {
  it.each([
    ['an email that is not one', { email: 'not-an-email', role: 'rep' }, 'invalid-email'],
    ['a role Ripen does not have', { email: 'x@example.com', role: 'owner' }, 'invalid-role'],
  ])('refuses %s, saying what is expected', async (_name, input, kind) => {
    const created = await createUser(t.db, t.workspaceId, input, 'test', t.clock.now);
    expect(created).toMatchObject({ ok: false, error: { kind } });
  });

  it('refuses a second user with the same email, in any case', async () => {
    await newUser('twice@example.com');
    const again = await createUser(t.db, t.workspaceId, { email: 'TWICE@example.com', role: 'admin' }, 'test', 0);
    expect(again).toMatchObject({ ok: false, error: { kind: 'duplicate-user' } });
    expect(await audit('user.created')).not.toHaveLength(0);
  });

  it('keeps the language a person picks, for every session of theirs', async () => {
    const person = await signedInPerson(t, 'viewer');
    const picked = await person.call('PUT', '/api/session/language', { language: 'pl' });
    expect(picked.statusCode).toBe(200);
    expect(picked.json().user.language).toBe('pl');
    const elsewhere = await signIn(person.email, person.password);
    expect(elsewhere.json().user.language).toBe('pl');
    const unknown = await person.call('PUT', '/api/session/language', { language: 'de' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toMatch(/en, pl, ru, nb, it/);
    const back = await person.call('PUT', '/api/session/language', { language: null });
    expect(back.json().user.language).toBeNull();
    const withoutToken = await t.app.inject({
      method: 'PUT',
      url: '/api/session/language',
      headers: { cookie: `${SESSION_COOKIE}=${person.cookie}` },
      payload: { language: 'ru' },
    });
    expect(withoutToken.statusCode).toBe(403);
  });
});
