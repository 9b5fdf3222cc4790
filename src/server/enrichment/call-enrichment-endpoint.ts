import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkWebhookUrl, createCheckedAgentLookup } from '../webhooks/check-webhook-url.ts';
import { webhookHeaders } from '../webhooks/sign-webhook.ts';

/** The most of an answer that is read: traits are a small JSON object. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** The longest `Retry-After` honoured, as for webhooks. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** What the endpoint said about a domain. */
export type EnrichmentAnswer =
  | { kind: 'found'; traits: Record<string, unknown> }
  | { kind: 'not-found' }
  /** Worth asking again later (429, 5xx, no answer); `retryAfterMs` from a Retry-After header. */
  | { kind: 'retry'; error: string; retryAfterMs: number | null }
  | { kind: 'failed'; error: string };

/**
 * POSTs `{"domain": …}` to the workspace's endpoint, signed with its secret (Standard Webhooks
 * headers, as webhooks are), to an address checked again now (private targets need the
 * allow-list), without following redirects. Reads at most 64 KB of the answer and never logs it.
 * It uses node:http rather than fetch because the connection must go to the address that was
 * checked, not to a second DNS answer; `timeoutMs` bounds the whole exchange.
 */
export async function callEnrichmentEndpoint(input: {
  url: string;
  secret: string;
  domain: string;
  timeoutMs: number;
  now: number;
  allowList: readonly string[];
}): Promise<EnrichmentAnswer> {
  const checked = await checkWebhookUrl(input.url, { allowList: input.allowList });
  if (!checked.ok) {
    const error = checked.error.message.replace(/^webhook URL/, 'enrichment URL');
    // A host that does not resolve now may again later; a refused address will not change by itself.
    return checked.error.kind === 'unresolvable'
      ? { kind: 'retry', error, retryAfterMs: null }
      : { kind: 'failed', error };
  }
  const body = JSON.stringify({ domain: input.domain });
  const headers = webhookHeaders({
    secret: input.secret,
    id: `enr_${randomUUID()}`,
    timestamp: Math.floor(input.now / 1000),
    body,
  });
  const answer = await post(checked.value.url, checked.value.addresses, headers, body, input.timeoutMs);
  if (answer.kind === 'unanswered') return { kind: 'retry', error: answer.error, retryAfterMs: null };
  if (answer.kind === 'too-large') return { kind: 'failed', error: 'the endpoint answered with more than 64 KB' };
  const { status } = answer;
  if (status === 404) return { kind: 'not-found' };
  if (status === 429 || status >= 500)
    return { kind: 'retry', error: `the endpoint answered ${status}`, retryAfterMs: retryAfterMs(answer.retryAfter) };
  if (status !== 200) return { kind: 'failed', error: `the endpoint answered ${status}; it should answer 200 or 404` };
  let traits: unknown;
  try {
    traits = JSON.parse(answer.body);
  } catch {
    return { kind: 'failed', error: 'the endpoint answered 200 with a body that is not JSON' };
  }
  if (traits === null || typeof traits !== 'object' || Array.isArray(traits))
    return { kind: 'failed', error: 'the endpoint answered 200 with JSON that is not an object of traits' };
  return { kind: 'found', traits: traits as Record<string, unknown> };
}

/** A `Retry-After` in seconds, at most a day; an HTTP date or anything else is ignored. */
function retryAfterMs(header: string | undefined): number | null {
  if (header === undefined || !/^\d{1,9}$/.test(header.trim())) return null;
  return Math.min(Number(header.trim()) * 1000, MAX_RETRY_AFTER_MS);
}

type Posted =
  | { kind: 'answered'; status: number; retryAfter: string | undefined; body: string }
  | { kind: 'unanswered'; error: string }
  | { kind: 'too-large' };

function post(
  url: URL,
  addresses: readonly string[],
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<Posted> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: Posted) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': Buffer.byteLength(body), 'user-agent': 'Ripen-Enrichment' },
      lookup: createCheckedAgentLookup(addresses),
      agent: false,
    });
    const timer = setTimeout(
      () => settle({ kind: 'unanswered', error: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    request.on('error', (error: NodeJS.ErrnoException) =>
      settle({ kind: 'unanswered', error: `could not reach the endpoint: ${error.code ?? error.message}` }),
    );
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          settle({ kind: 'too-large' });
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () =>
        settle({
          kind: 'answered',
          status: response.statusCode ?? 0,
          retryAfter: response.headers['retry-after'],
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', () => settle({ kind: 'unanswered', error: 'the answer was cut off' }));
    });
    request.end(body);
  });
}
