import { createHmac, timingSafeEqual, verify } from 'node:crypto';
import type { MailgunSignature } from '../../core/email-events/mailgun-events.ts';
import { sendGridPublicKeyPem } from './email-source-settings.ts';

/** Signed posts older than this are refused: a captured request cannot be replayed later. */
export const MAX_SIGNATURE_AGE_MS = 10 * 60_000;

function isFresh(timestampSeconds: string, now: number): boolean {
  const at = Number(timestampSeconds) * 1000;
  return Number.isFinite(at) && Math.abs(now - at) <= MAX_SIGNATURE_AGE_MS;
}

/** Why a signature was refused, for the 401 message; null when it holds. */
export type SignatureProblem = string | null;

/**
 * SendGrid's Signed Event Webhook: an ECDSA P-256 / SHA-256 signature (base64 DER) of the
 * timestamp header followed by the raw body, verified with the workspace's public key.
 */
export function checkSendGridSignature(
  publicKey: string,
  rawBody: string,
  signature: string | undefined,
  timestamp: string | undefined,
  now: number,
): SignatureProblem {
  if (!signature || !timestamp) {
    return 'send the X-Twilio-Email-Event-Webhook-Signature and -Timestamp headers: enable Signed Event Webhook in SendGrid, or remove `publicKey` from the sendgrid settings';
  }
  if (!isFresh(timestamp, now)) return 'the X-Twilio-Email-Event-Webhook-Timestamp is more than 10 minutes off';
  let valid = false;
  try {
    valid = verify(
      'sha256',
      Buffer.from(timestamp + rawBody),
      sendGridPublicKeyPem(publicKey),
      Buffer.from(signature, 'base64'),
    );
  } catch {
    valid = false;
  }
  return valid
    ? null
    : 'the SendGrid signature does not match: check `publicKey` is the verification key of this webhook';
}

/** Mailgun: hex HMAC-SHA256 of timestamp followed by token, keyed with the webhook signing key. */
export function checkMailgunSignature(signingKey: string, signature: MailgunSignature, now: number): SignatureProblem {
  if (!isFresh(signature.timestamp, now)) return 'the Mailgun signature timestamp is more than 10 minutes off';
  const expected = createHmac('sha256', signingKey)
    .update(signature.timestamp + signature.token)
    .digest();
  const given = Buffer.from(signature.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? null
    : 'the Mailgun signature does not match: check `signingKey` is the HTTP webhook signing key of this Mailgun account';
}
