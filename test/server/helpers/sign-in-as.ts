import { createUser } from '../../../src/server/users/create-user.ts';
import { SESSION_COOKIE } from '../../../src/server/users/sessions.ts';
import type { TestApp } from './test-app.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Signs in through the API; the answer calls the API as that person, cookie and CSRF token included. */
export async function signIn(t: TestApp, email: string, password: string) {
  const response = await t.app.inject({ method: 'POST', url: '/api/session', payload: { email, password } });
  if (response.statusCode !== 200) return null;
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '';
  const { csrfToken } = response.json();
  return {
    cookie,
    call: (method: Method, url: string, payload?: object) =>
      t.app.inject({
        method,
        url,
        payload,
        headers: { cookie: `${SESSION_COOKIE}=${cookie}`, 'x-csrf-token': csrfToken },
      }),
  };
}

/** A new person with this role (and email, or a random one), signed in. */
export async function signedInPerson(t: TestApp, role: string, email?: string) {
  const address = email ?? `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const created = await createUser(t.db, t.workspaceId, { email: address, role }, 'test', t.clock.now);
  if (!created.ok) throw new Error(created.error.message);
  const session = await signIn(t, address, created.value.password);
  if (!session) throw new Error('sign-in failed');
  return { email: address, id: created.value.id, password: created.value.password, ...session };
}
