import { verify } from 'node:crypto';
import { type SnsMessage, snsStringToSign } from '../../core/email-events/sns-message.ts';

/** Fetches a URL's body as text (the SNS signing certificate, the subscription link); injectable for tests. */
export type FetchText = (url: string) => Promise<string>;

/** The default: a GET with a timeout, failing on any status but 2xx. */
export const fetchText: FetchText = async (url) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
  if (!response.ok) throw new Error(`GET ${new URL(url).host} answered ${response.status}`);
  return response.text();
};

/**
 * Whether a URL may be fetched for SNS (the signing certificate, the subscription link): only
 * https on an amazonaws.com host, so a forged message cannot make the server fetch anything else.
 */
export function isAmazonUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const host = parsed.hostname.toLowerCase();
  return (
    parsed.protocol === 'https:' &&
    parsed.port === '' &&
    parsed.username === '' &&
    (host.endsWith('.amazonaws.com') || host.endsWith('.amazonaws.com.cn'))
  );
}

/** SNS signing certificates by URL: each is fetched once (they change rarely; there are few). */
export function createCertificateCache(fetch: FetchText, maxEntries = 50) {
  const certificates = new Map<string, Promise<string>>();
  return (url: string): Promise<string> => {
    let certificate = certificates.get(url);
    if (!certificate) {
      if (certificates.size >= maxEntries) certificates.clear();
      certificate = fetch(url);
      // A failed fetch is not kept: the next message tries again.
      certificate.catch(() => certificates.delete(url));
      certificates.set(url, certificate);
    }
    return certificate;
  };
}

/** Why an SNS message is refused: a bad signature (401), or a certificate that could not be fetched (503, SNS retries). */
export type SnsSignatureProblem = { kind: 'bad-signature' | 'unavailable'; message: string };

/**
 * Verifies an SNS message's signature: RSA with SHA1 (SignatureVersion 1) or SHA256 (2) over
 * the canonical string, with the certificate at SigningCertURL, which must be Amazon's.
 */
export async function checkSnsSignature(
  message: SnsMessage,
  certificateAt: (url: string) => Promise<string>,
): Promise<SnsSignatureProblem | null> {
  if (!isAmazonUrl(message.signingCertUrl)) {
    return { kind: 'bad-signature', message: '`SigningCertURL` must be an https URL on an amazonaws.com host' };
  }
  let certificate: string;
  try {
    certificate = await certificateAt(message.signingCertUrl);
  } catch {
    return {
      kind: 'unavailable',
      message: 'the SNS signing certificate could not be fetched; SNS retries the delivery',
    };
  }
  const algorithm = message.signatureVersion === '1' ? 'sha1' : 'sha256';
  let valid = false;
  try {
    valid = verify(
      algorithm,
      Buffer.from(snsStringToSign(message)),
      certificate,
      Buffer.from(message.signature, 'base64'),
    );
  } catch {
    valid = false;
  }
  return valid ? null : { kind: 'bad-signature', message: 'the SNS signature does not match the message' };
}
