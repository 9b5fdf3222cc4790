import { sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type SnsMessage, snsStringToSign } from '../../../src/core/email-events/sns-message.ts';
import { useTestApp } from '../helpers/test-app.ts';
import { contactOf, eventsOf, fixture, postEmailEvents, setUpSource } from './email-event-helpers.ts';

const certificate = readFileSync(new URL('../../fixtures/email-events/sns-test-cert.pem', import.meta.url), 'utf8');
const privateKey = readFileSync(new URL('../../fixtures/email-events/sns-test-key.pem', import.meta.url), 'utf8');
const CERT_URL = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ses-events';

/** Every URL the server fetched: the certificate (once, cached) and subscription links. */
const fetched: string[] = [];
const app = useTestApp(undefined, {
  fetchText: async (url) => {
    fetched.push(url);
    if (url === CERT_URL) return certificate;
    if (url.startsWith('https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription'))
      return '<ConfirmSubscriptionResponse/>';
    throw new Error(`unexpected fetch of ${url}`);
  },
});

/** An SNS delivery signed as SNS signs it, with the test certificate's key. */
function snsBody(fields: Partial<SnsMessage> & Pick<SnsMessage, 'type' | 'message'>, version: '1' | '2' = '2'): string {
  const message: SnsMessage = {
    messageId: `msg-${fetched.length}-${fields.message.length}`,
    topicArn: TOPIC,
    timestamp: '2026-05-04T11:59:00.000Z',
    subject: null,
    token: null,
    subscribeUrl: null,
    signatureVersion: version,
    signature: '',
    signingCertUrl: CERT_URL,
    ...fields,
  };
  const signature = sign(
    version === '1' ? 'sha1' : 'sha256',
    Buffer.from(snsStringToSign(message)),
    privateKey,
  ).toString('base64');
  return JSON.stringify({
    Type: message.type,
    MessageId: message.messageId,
    TopicArn: message.topicArn,
    Message: message.message,
    Timestamp: message.timestamp,
    SignatureVersion: message.signatureVersion,
    Signature: signature,
    SigningCertURL: message.signingCertUrl,
    ...(message.subject === null ? {} : { Subject: message.subject }),
    ...(message.token === null ? {} : { Token: message.token }),
    ...(message.subscribeUrl === null ? {} : { SubscribeURL: message.subscribeUrl }),
  });
}

describe('Amazon SES through SNS', () => {
  it('confirms the subscription by visiting SubscribeURL', async () => {
    const token = await setUpSource(app, 'ses', { topicArns: [TOPIC] });
    const subscribeUrl = `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=2336412f37`;
    const body = snsBody({
      type: 'SubscriptionConfirmation',
      message: 'You have chosen to subscribe…',
      token: '2336412f37',
      subscribeUrl,
    });
    const response = await postEmailEvents(app, 'ses', token, body, { 'content-type': 'text/plain; charset=UTF-8' });
    expect(response.json()).toMatchObject({ success: true, confirmed: TOPIC, accepted: 0 });
    expect(fetched).toContain(subscribeUrl);
  });

  it.each(['1', '2'] as const)(
    'stores a verified notification’s events (SignatureVersion %s), once',
    async (version) => {
      const token = await setUpSource(app, 'ses', { topicArns: [TOPIC] });
      const ses = fixture('ses.json');
      for (const record of [ses.open, ses.click, ses.bounce]) {
        const body = snsBody(
          { type: 'Notification', message: JSON.stringify(record), subject: version === '1' ? 'SES' : null },
          version,
        );
        const first = await postEmailEvents(app, 'ses', token, body);
        expect(first.statusCode).toBe(200);
        const again = await postEmailEvents(app, 'ses', token, body);
        expect(again.json().accepted).toBe(0);
      }
      const stored = await eventsOf(app, 'recipient@example.com');
      expect(
        stored
          .filter((event) => event.type === 'track')
          .map((event) => [event.name, event.properties.campaign ?? null]),
      ).toEqual([
        ['Email Opened', 'spring-launch'],
        ['Email Clicked', null],
        ['Email Bounced', null],
      ]);
      expect((await contactOf(app, 'recipient@example.com'))?.email_status).toBe('undeliverable');
      expect(fetched.filter((url) => url === CERT_URL)).toHaveLength(1);
    },
  );

  it.each([
    ['a changed message', (body: string) => body.replace('Permanent', 'Transient')],
    ['a certificate outside amazonaws.com', (body: string) => body.replace(CERT_URL, 'https://evil.example/cert.pem')],
    ['a topic not configured', (body: string) => body.replace(TOPIC, `${TOPIC}-other`)],
  ])('refuses %s with 401 and stores nothing', async (_name, tamper) => {
    const token = await setUpSource(app, 'ses', { topicArns: [TOPIC] });
    const record = { ...(fixture('ses.json').bounce as object) };
    const body = snsBody({
      type: 'Notification',
      message: JSON.stringify(record).replaceAll('recipient@example.com', 'forged@example.com'),
    });
    const response = await postEmailEvents(app, 'ses', token, tamper(body));
    expect(response.statusCode).toBe(401);
    expect(await contactOf(app, 'forged@example.com')).toBeUndefined();
    expect(fetched).not.toContain('https://evil.example/cert.pem');
  });
});
