import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app.ts';
import { contactOf, eventsOf, fixture, postEmailEvents, seconds, setUpSource } from './email-event-helpers.ts';

const app = useTestApp();

describe('SendGrid', () => {
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKey = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const signed = (body: string, timestamp = String(seconds(app.clock.now))) => ({
    'x-twilio-email-event-webhook-timestamp': timestamp,
    'x-twilio-email-event-webhook-signature': sign('sha256', Buffer.from(timestamp + body), keys.privateKey).toString(
      'base64',
    ),
  });

  it('turns the documented batch into events on the contact, with campaign, link and tags, and records the bounce', async () => {
    const token = await setUpSource(app, 'sendgrid', { publicKey });
    const body = JSON.stringify(fixture('sendgrid.json'));
    const response = await postEmailEvents(app, 'sendgrid', token, body, signed(body));
    expect(response.statusCode).toBe(200);
    // Six events, plus the bounce, the complaint and the unsubscribe recorded on the contact.
    expect(response.json()).toMatchObject({ success: true, accepted: 9, duplicates: 0, skipped: [{ index: 0 }] });
    const stored = await eventsOf(app, 'example@test.com');
    expect(stored.filter((event) => event.type === 'track').map((event) => event.name)).toEqual([
      'Email Delivered',
      'Email Opened',
      'Email Clicked',
      'Email Bounced',
      'Email Marked as Spam',
      'Unsubscribed',
    ]);
    expect(stored.find((event) => event.name === 'Email Clicked')).toMatchObject({
      message_id: 'email:sendgrid:kCAi1KttyQdEKHhdC-nuEA==',
      source: 'email:sendgrid',
      properties: { campaign: 'Spring launch', link: 'http://www.sendgrid.com/', tags: ['cat facts', 'newsletter'] },
    });
    expect(await contactOf(app, 'example@test.com')).toMatchObject({
      email_status: 'undeliverable',
      email_consent: 'unsubscribed',
    });
  });

  it('stores a retried delivery once', async () => {
    const token = await setUpSource(app, 'sendgrid', { publicKey });
    const body = JSON.stringify(fixture('sendgrid.json'));
    const again = await postEmailEvents(app, 'sendgrid', token, body, signed(body));
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 9 });
    expect(await eventsOf(app, 'example@test.com')).toHaveLength(9);
  });

  it.each([
    [
      'a tampered body',
      (body: string) => ({ body: body.replace('tampered@test.com', 'other@test.com'), headers: signed(body) }),
    ],
    ['no signature', (body: string) => ({ body, headers: {} })],
    [
      'a signature of an hour ago',
      (body: string) => ({ body, headers: signed(body, String(seconds(app.clock.now) - 3600)) }),
    ],
  ])('refuses %s with 401 and stores nothing', async (_name, tamper) => {
    const token = await setUpSource(app, 'sendgrid', { publicKey });
    const original = JSON.stringify([
      { event: 'click', email: 'tampered@test.com', timestamp: 1, sg_event_id: 'tamper-1' },
    ]);
    const { body, headers } = tamper(original);
    const response = await postEmailEvents(app, 'sendgrid', token, body, headers);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('bad_signature');
    expect(await contactOf(app, 'tampered@test.com')).toBeUndefined();
    expect(await contactOf(app, 'other@test.com')).toBeUndefined();
  });
});

describe('Mailgun', () => {
  const signingKey = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
  function signedBody(name: string, recipient: string): string {
    const body = fixture(name);
    const timestamp = String(seconds(app.clock.now));
    const token = 'a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0';
    const signature = createHmac('sha256', signingKey)
      .update(timestamp + token)
      .digest('hex');
    const data = { ...(body['event-data'] as object), recipient, timestamp: seconds(app.clock.now) - 60 };
    return JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': data });
  }

  it('verifies the signature and stores the open with its tags and campaign', async () => {
    const token = await setUpSource(app, 'mailgun', { signingKey });
    const response = await postEmailEvents(
      app,
      'mailgun',
      token,
      signedBody('mailgun-opened.json', 'alice@example.com'),
    );
    expect(response.json()).toMatchObject({ accepted: 1 });
    const [opened] = await eventsOf(app, 'alice@example.com');
    expect(opened).toMatchObject({
      name: 'Email Opened',
      message_id: 'email:mailgun:DACSsAdVSeGpLid7TN03WA',
      properties: { campaign: 'spring-launch', tags: ['my_tag_1', 'my_tag_2'] },
    });
    // Scores are kept in hundredths of a point: one open is 1 point.
    expect((await contactOf(app, 'alice@example.com'))?.engagement).toBe(100);
  });

  it('refuses a signature made with another key, or none', async () => {
    const token = await setUpSource(app, 'mailgun', { signingKey: 'key-of-someone-else' });
    const wrong = await postEmailEvents(
      app,
      'mailgun',
      token,
      signedBody('mailgun-failed.json', 'mallory@example.com'),
    );
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toContain('signingKey');
    const unsigned = await postEmailEvents(app, 'mailgun', token, JSON.stringify({ 'event-data': {} }));
    expect(unsigned.statusCode).toBe(401);
    expect(await contactOf(app, 'mallory@example.com')).toBeUndefined();
  });
});

describe('Postmark and Brevo (unsigned: the token authenticates)', () => {
  it('Postmark: each record type on the contact; a resent record is kept once', async () => {
    const token = await setUpSource(app, 'postmark');
    for (const record of Object.values(fixture('postmark.json'))) {
      const response = await postEmailEvents(app, 'postmark', token, JSON.stringify(record));
      expect(response.statusCode).toBe(200);
    }
    const resent = await postEmailEvents(app, 'postmark', token, JSON.stringify(fixture('postmark.json').open));
    expect(resent.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    const names = (await eventsOf(app, 'john@example.com')).map((event) => event.name ?? 'identify');
    expect(names).toEqual([
      'Email Delivered',
      'Email Opened',
      'Email Clicked',
      'Email Bounced',
      'identify',
      'Email Marked as Spam',
      'identify',
      'Unsubscribed',
      'identify',
    ]);
  });

  it('Brevo: a proxy open is stored flagged and not scored; a real click is', async () => {
    const token = await setUpSource(app, 'brevo');
    const recent = seconds(app.clock.now) - 600;
    const { transactionalProxyOpen: open, transactionalClick: click } = fixture('brevo.json') as Record<string, object>;
    const email = 'brevo-reader@example.com';
    await postEmailEvents(app, 'brevo', token, JSON.stringify({ ...open, email, ts_event: recent }));
    const [proxy] = await eventsOf(app, email);
    expect(proxy?.properties).toMatchObject({ machine: true, machineReason: 'provider-flagged' });
    expect((await contactOf(app, email))?.engagement).toBe(0);
    await postEmailEvents(app, 'brevo', token, JSON.stringify({ ...click, email, ts_event: recent }));
    expect((await contactOf(app, email))?.engagement).toBe(300);
  });
});

describe('a hard bounce in the default playbook', () => {
  it('marks the address undeliverable and takes 30 fit points', async () => {
    const email = 'vp@bigco.example';
    await app.send('/v1/identify', { userId: 'vp-1', traits: { email, title: 'VP Marketing', phone: '+1 555 0100' } });
    const before = await contactOf(app, email);
    const token = await setUpSource(app, 'postmark');
    const bounce = {
      ...(fixture('postmark.json').bounce as object),
      Email: email,
      ID: 77,
      BouncedAt: new Date(app.clock.now).toISOString(),
    };
    expect((await postEmailEvents(app, 'postmark', token, JSON.stringify(bounce))).statusCode).toBe(200);
    const after = await contactOf(app, email);
    expect(after?.email_status).toBe('undeliverable');
    expect(after?.fit).toBe((before?.fit ?? 0) - 3000);
  });
});

describe('authentication', () => {
  it.each([
    ['no token', null, 'unauthenticated'],
    ['an unknown token', 'rk_email_nope', 'invalid_token'],
  ])('refuses %s with 401 saying what to do', async (_name, token, code) => {
    const response = await postEmailEvents(app, 'postmark', token, JSON.stringify(fixture('postmark.json').open));
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toMatchObject({
      code,
      message: expect.stringContaining('/api/email-sources/postmark'),
    });
  });

  it('refuses a token of another provider', async () => {
    const token = await setUpSource(app, 'brevo');
    const response = await postEmailEvents(app, 'postmark', token, JSON.stringify(fixture('postmark.json').open));
    expect(response.json().error).toMatchObject({
      code: 'wrong_provider',
      message: expect.stringContaining('/v1/email-events/brevo'),
    });
  });

  it('answers 400 for a body that is not the provider’s JSON', async () => {
    const token = await setUpSource(app, 'postmark');
    const response = await postEmailEvents(app, 'postmark', token, 'not json');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_payload');
  });
});
