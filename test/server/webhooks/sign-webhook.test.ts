import { describe, expect, it } from 'vitest';
import {
  decodeWebhookSecret,
  generateWebhookSecret,
  signWebhook,
  type VerifyWebhookError,
  verifyWebhook,
  webhookHeaders,
} from '../../../src/server/webhooks/sign-webhook.ts';

// The test vector of the Standard Webhooks reference libraries.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
};
const VECTOR_SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
const AT_VECTOR = VECTOR.timestamp * 1000;

describe('signWebhook', () => {
  it('reproduces the Standard Webhooks test vector', () => {
    expect(signWebhook(VECTOR)).toBe(VECTOR_SIGNATURE);
  });

  it('builds the delivery headers', () => {
    expect(webhookHeaders(VECTOR)).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': VECTOR_SIGNATURE,
      'content-type': 'application/json',
    });
  });

  it.each([
    ['no prefix', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ['an empty key', 'whsec_'],
    ['a key that is not base64', 'whsec_not base64!'],
  ])('refuses a secret with %s', (_, secret) => {
    expect(() => signWebhook({ ...VECTOR, secret })).toThrow(/whsec_/);
  });

  it('refuses a timestamp in milliseconds by mistake', () => {
    expect(() => signWebhook({ ...VECTOR, timestamp: AT_VECTOR + 0.5 })).toThrow(/whole seconds/);
  });
});

describe('generateWebhookSecret', () => {
  it('makes distinct whsec_ secrets of 32 key bytes that sign and verify', () => {
    const a = generateWebhookSecret();
    const b = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(a).not.toBe(b);
    expect(decodeWebhookSecret(a)).toHaveLength(32);
    const headers = webhookHeaders({ ...VECTOR, secret: a });
    expect(verifyWebhook({ secret: a, headers, body: VECTOR.body, now: AT_VECTOR }).ok).toBe(true);
  });
});

describe('verifyWebhook', () => {
  const headers = webhookHeaders(VECTOR);
  const verify = (changes: Partial<Parameters<typeof verifyWebhook>[0]>) =>
    verifyWebhook({ secret: VECTOR.secret, headers, body: VECTOR.body, now: AT_VECTOR, ...changes });
  const kindOf = (result: ReturnType<typeof verifyWebhook>): VerifyWebhookError['kind'] | 'ok' =>
    result.ok ? 'ok' : result.error.kind;

  it('accepts the test vector and returns the message id and timestamp', () => {
    expect(verify({})).toEqual({ ok: true, value: { id: VECTOR.id, timestamp: VECTOR.timestamp } });
  });

  it('accepts the raw body as bytes', () => {
    expect(kindOf(verify({ body: Buffer.from(VECTOR.body) }))).toBe('ok');
  });

  it('matches header names case-insensitively', () => {
    const upper = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]));
    expect(kindOf(verify({ headers: upper }))).toBe('ok');
  });

  const cases: Array<{ name: string; changes: Partial<Parameters<typeof verifyWebhook>[0]>; kind: string }> = [
    { name: 'a tampered body', changes: { body: '{"test": 2432232315}' }, kind: 'invalid-signature' },
    { name: 'a re-serialised body', changes: { body: '{"test":2432232314}' }, kind: 'invalid-signature' },
    { name: 'the wrong secret', changes: { secret: generateWebhookSecret() }, kind: 'invalid-signature' },
    {
      name: 'a changed message id',
      changes: { headers: { ...headers, 'webhook-id': 'msg_other' } },
      kind: 'invalid-signature',
    },
    {
      name: 'a changed timestamp',
      changes: { headers: { ...headers, 'webhook-timestamp': '1614265331' }, now: AT_VECTOR },
      kind: 'invalid-signature',
    },
    {
      name: 'a signature of another version only',
      changes: { headers: { ...headers, 'webhook-signature': VECTOR_SIGNATURE.replace('v1,', 'v1a,') } },
      kind: 'invalid-signature',
    },
    {
      name: 'a truncated signature',
      changes: { headers: { ...headers, 'webhook-signature': VECTOR_SIGNATURE.slice(0, -2) } },
      kind: 'invalid-signature',
    },
    { name: 'a timestamp 301 s old', changes: { now: AT_VECTOR + 301_000 }, kind: 'timestamp-out-of-tolerance' },
    { name: 'a timestamp 301 s ahead', changes: { now: AT_VECTOR - 301_000 }, kind: 'timestamp-out-of-tolerance' },
    { name: 'a timestamp exactly 300 s old', changes: { now: AT_VECTOR + 300_999 }, kind: 'ok' },
    { name: 'a timestamp exactly 300 s ahead', changes: { now: AT_VECTOR - 300_000 }, kind: 'ok' },
    {
      name: 'an old timestamp within a wider tolerance',
      changes: { now: AT_VECTOR + 3_600_000, toleranceSeconds: 3600 },
      kind: 'ok',
    },
    {
      name: 'a timestamp in milliseconds',
      changes: { headers: { ...headers, 'webhook-timestamp': String(AT_VECTOR) } },
      kind: 'timestamp-out-of-tolerance',
    },
    {
      name: 'a timestamp that is not a number',
      changes: { headers: { ...headers, 'webhook-timestamp': '2021-02-26T16:22:10Z' } },
      kind: 'invalid-timestamp',
    },
    {
      name: 'a missing signature header',
      changes: { headers: { 'webhook-id': VECTOR.id, 'webhook-timestamp': '1614265330' } },
      kind: 'missing-header',
    },
    {
      name: 'an empty message id',
      changes: { headers: { ...headers, 'webhook-id': '' } },
      kind: 'missing-header',
    },
  ];
  it.each(cases)('$name: $kind', ({ changes, kind }) => {
    expect(kindOf(verify(changes))).toBe(kind);
  });

  it('explains a stale timestamp', () => {
    expect(verify({ now: AT_VECTOR + 600_000 })).toEqual({
      ok: false,
      error: {
        kind: 'timestamp-out-of-tolerance',
        message:
          '`webhook-timestamp` is 600 s in the past, more than the 300 s allowed; check the clock or this is a replay',
      },
    });
  });

  describe('several signatures, as sent during a secret rotation', () => {
    const other = signWebhook({ ...VECTOR, secret: generateWebhookSecret() });
    const cases: Array<{ name: string; signature: string | string[]; kind: string }> = [
      { name: 'the matching one last', signature: `${other} ${VECTOR_SIGNATURE}`, kind: 'ok' },
      { name: 'the matching one first', signature: `${VECTOR_SIGNATURE} ${other}`, kind: 'ok' },
      { name: 'with unknown versions around it', signature: `v2,abc ${VECTOR_SIGNATURE} ed25519,xyz`, kind: 'ok' },
      { name: 'in repeated headers', signature: [other, VECTOR_SIGNATURE], kind: 'ok' },
      { name: 'none of them matching', signature: `${other} v1,${'A'.repeat(43)}=`, kind: 'invalid-signature' },
      { name: 'garbage only', signature: 'v1 , ,,', kind: 'invalid-signature' },
    ];
    it.each(cases)('$name: $kind', ({ signature, kind }) => {
      expect(kindOf(verify({ headers: { ...headers, 'webhook-signature': signature } }))).toBe(kind);
    });
  });
});
