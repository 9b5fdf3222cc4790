import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app.ts';
import { postEmailEvents } from './email-event-helpers.ts';

const app = useTestApp();

async function put(provider: string, body: object, authorization = app.secretAuth) {
  return app.app.inject({
    method: 'PUT',
    url: `/api/email-sources/${provider}`,
    headers: { authorization },
    payload: body,
  });
}

describe('/api/email-sources', () => {
  it('issues a token once, keeps it on a settings change, and rotates it on request', async () => {
    const created = await put('postmark', {});
    expect(created.json()).toMatchObject({
      provider: 'postmark',
      path: '/v1/email-events/postmark',
      verifiesSignatures: false,
    });
    const token: string = created.json().token;
    expect(token).toMatch(/^rk_email_/);
    expect((await put('postmark', {})).json().token).toBeNull();
    const rotated = (await put('postmark', { rotateToken: true })).json().token;
    expect(rotated).not.toBe(token);
    const old = await postEmailEvents(app, 'postmark', token, '{}');
    expect(old.json().error.code).toBe('invalid_token');
  });

  it.each([
    ['mailgun without its signing key', 'mailgun', {}, 'mailgun needs `signingKey`'],
    [
      'a setting of another provider',
      'postmark',
      { signingKey: 'x' },
      'postmark takes no settings; remove `signingKey`',
    ],
    [
      'a SendGrid key that is no key',
      'sendgrid',
      { publicKey: 'not-a-key' },
      '`publicKey` must be the verification key',
    ],
  ])('answers 400 for %s', async (_name, provider, body, message) => {
    const response = await put(provider, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain(message);
  });

  it('lists providers without tokens or keys, deletes one, and is for admins only', async () => {
    await put('mailgun', { signingKey: 'key-secret-value' });
    const listed = await app.get('/api/email-sources');
    expect(listed.body).not.toContain('key-secret-value');
    expect(listed.json().items.map((item: { provider: string }) => item.provider)).toContain('mailgun');
    const deleted = await app.app.inject({
      method: 'DELETE',
      url: '/api/email-sources/mailgun',
      headers: { authorization: app.secretAuth },
    });
    expect(deleted.statusCode).toBe(204);
    expect((await put('brevo', {}, app.writeAuth)).statusCode).toBe(403);
  });
});
