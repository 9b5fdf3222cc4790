import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { err, ok, type Result } from '../../core/result.ts';

/**
 * Standard Webhooks (https://www.standardwebhooks.com) symmetric signatures: the secret is `whsec_` followed
 * by the base64 of the key bytes, and the signature is `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)).
 */
const SECRET_PREFIX = 'whsec_';
const SIGNATURE_VERSION = 'v1';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The spec asks for 24 to 64 random bytes; 32 matches the HMAC-SHA256 block of security. */
const SECRET_BYTES = 32;

export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface WebhookMessage {
  /** `whsec_…` secret of the endpoint. */
  secret: string;
  /** Unique message id, the same on every retry of one message so receivers can de-duplicate. */
  id: string;
  /** Unix time in seconds of this attempt. */
  timestamp: number;
  /** The exact body bytes that are sent; re-serialising JSON would break the signature. */
  body: string;
}

/** A type alias rather than an interface, so it passes as a plain header record (e.g. to verifyWebhook). */
export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  'content-type': 'application/json';
};

/** Generates a new endpoint secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** Decodes a `whsec_…` secret to its key bytes. A malformed secret is a bug or a bad config, so it throws. */
export function decodeWebhookSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '';
  if (encoded === '' || !BASE64.test(encoded)) {
    throw new Error('a webhook secret must be `whsec_` followed by base64 key bytes, as made by generateWebhookSecret');
  }
  return Buffer.from(encoded, 'base64');
}

/** Signs one message: returns `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. */
export function signWebhook(message: WebhookMessage): string {
  if (!Number.isInteger(message.timestamp)) {
    throw new RangeError(`webhook timestamp must be whole seconds, got ${message.timestamp}`);
  }
  return `${SIGNATURE_VERSION},${computeSignature(decodeWebhookSecret(message.secret), message.id, String(message.timestamp), message.body)}`;
}

/** The headers of one delivery attempt. */
export function webhookHeaders(message: WebhookMessage): WebhookHeaders {
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(message.timestamp),
    'webhook-signature': signWebhook(message),
    'content-type': 'application/json',
  };
}

export type VerifyWebhookError =
  | { kind: 'missing-header'; message: string }
  | { kind: 'invalid-timestamp'; message: string }
  | { kind: 'timestamp-out-of-tolerance'; message: string }
  | { kind: 'invalid-signature'; message: string };

export interface VerifyWebhookInput {
  secret: string;
  /** Request headers; names are matched case-insensitively (Node's `req.headers` works as is). */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw body exactly as received, before any JSON parsing. */
  body: string | Uint8Array;
  /** Epoch milliseconds. */
  now: number;
  toleranceSeconds?: number;
}

/**
 * Verifies a received webhook: the timestamp must be within `toleranceSeconds` of `now` (either way, against
 * replays and clock skew), and at least one of the space-separated `v1,` signatures must match. Signatures of
 * other versions are ignored, which lets senders add new schemes or rotate secrets by sending several.
 */
export function verifyWebhook(
  input: VerifyWebhookInput,
): Result<{ id: string; timestamp: number }, VerifyWebhookError> {
  const { secret, headers, body, now, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS } = input;
  const id = readHeader(headers, 'webhook-id');
  const timestampText = readHeader(headers, 'webhook-timestamp');
  const signatures = readHeader(headers, 'webhook-signature');
  if (!id) return missingHeader('webhook-id');
  if (!timestampText) return missingHeader('webhook-timestamp');
  if (!signatures) return missingHeader('webhook-signature');
  if (!/^\d{1,15}$/.test(timestampText)) {
    return err({
      kind: 'invalid-timestamp',
      message: `\`webhook-timestamp\` must be Unix seconds, got \`${timestampText.slice(0, 40)}\``,
    });
  }
  const timestamp = Number(timestampText);
  const skew = Math.floor(now / 1000) - timestamp;
  if (Math.abs(skew) > toleranceSeconds) {
    return err({
      kind: 'timestamp-out-of-tolerance',
      message: `\`webhook-timestamp\` is ${Math.abs(skew)} s ${skew > 0 ? 'in the past' : 'in the future'}, more than the ${toleranceSeconds} s allowed; check the clock or this is a replay`,
    });
  }
  const expected = Buffer.from(computeSignature(decodeWebhookSecret(secret), id, timestampText, body));
  // Check every candidate without stopping early, so timing does not reveal which one matched.
  let matched = false;
  for (const candidate of signatures.split(' ')) {
    const comma = candidate.indexOf(',');
    if (comma < 0 || candidate.slice(0, comma) !== SIGNATURE_VERSION) continue;
    const given = Buffer.from(candidate.slice(comma + 1));
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) {
    return err({
      kind: 'invalid-signature',
      message: 'no `v1` signature in `webhook-signature` matches; check the secret and that the body is the raw bytes',
    });
  }
  return ok({ id, timestamp });
}

function missingHeader(name: string): Result<never, VerifyWebhookError> {
  return err({ kind: 'missing-header', message: `the \`${name}\` header is missing or empty` });
}

function computeSignature(key: Buffer, id: string, timestamp: string, body: string | Uint8Array): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
}

function readHeader(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
  name: string,
): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    // A repeated header arrives as an array; joining keeps every signature candidate.
    return typeof value === 'string' ? value.trim() : value.join(' ').trim();
  }
  return undefined;
}
