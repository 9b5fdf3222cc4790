import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createCheckedAgentLookup } from './check-webhook-url.ts';
import type { WebhookHeaders } from './sign-webhook.ts';

/** Enough of a receiver's answer to show in `last_error`; the rest is not read. */
const MAX_RESPONSE_BYTES = 4096;
const EXCERPT_CHARS = 200;

export interface SendWebhookInput {
  url: URL;
  /** The addresses checkWebhookUrl approved; the connection goes to one of these, never to a new DNS answer. */
  addresses: readonly string[];
  headers: WebhookHeaders;
  body: string;
  /** Deadline for the whole exchange: connecting, the answer's headers and the part of its body that is read. */
  timeoutMs: number;
  /** Aborting (server shutdown) drops the attempt without a verdict. */
  signal?: AbortSignal;
}

export type SendWebhookResult =
  | { kind: 'answered'; status: number; retryAfter: string | undefined; error: string | null }
  | { kind: 'unanswered'; error: string }
  | { kind: 'aborted' };

/**
 * POSTs one signed webhook. Redirects are not followed (their target was never checked), the answer's body is
 * read up to a few KB only to describe a failure, and nothing of either body is logged.
 */
export function sendWebhook(input: SendWebhookInput): Promise<SendWebhookResult> {
  const { url, body, timeoutMs, signal } = input;
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve({ kind: 'aborted' });
      return;
    }
    let settled = false;
    const settle = (result: SendWebhookResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      request.destroy();
      resolve(result);
    };
    const onAbort = () => settle({ kind: 'aborted' });
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'POST',
      headers: { ...input.headers, 'content-length': Buffer.byteLength(body), 'user-agent': 'Ripen-Webhooks' },
      lookup: createCheckedAgentLookup(input.addresses),
      // A fresh connection per attempt: a pooled socket may lead to an address checked for another URL.
      agent: false,
    });
    const timer = setTimeout(
      () => settle({ kind: 'unanswered', error: `no answer within ${formatDuration(timeoutMs)}` }),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort);
    request.on('error', (error: NodeJS.ErrnoException) =>
      settle({ kind: 'unanswered', error: `could not deliver: ${error.code ?? error.message}` }),
    );
    request.on('response', (response) => {
      readExcerpt(response, (excerpt) =>
        settle({
          kind: 'answered',
          status: response.statusCode ?? 0,
          retryAfter: response.headers['retry-after'],
          error: describeAnswer(response, excerpt),
        }),
      );
    });
    request.end(body);
  });
}

function readExcerpt(response: IncomingMessage, done: (excerpt: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const finish = () => done(Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8'));
  response.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_RESPONSE_BYTES) finish();
  });
  response.on('end', finish);
  response.on('error', finish);
}

/** `null` for a 2xx; otherwise what the receiver answered, in words an admin can act on. */
function describeAnswer(response: IncomingMessage, excerpt: string): string | null {
  const status = response.statusCode ?? 0;
  if (status >= 200 && status <= 299) return null;
  if (status >= 300 && status <= 399) {
    const location = response.headers.location;
    return `answered HTTP ${status}${location ? ` redirecting to ${location.slice(0, 300)}` : ''}; redirects are not followed, so point the webhook at the final URL`;
  }
  // Control characters are dropped so a stored excerpt cannot garble a terminal or a log viewer.
  const text = excerpt.replace(/[\p{Cc}\s]+/gu, ' ').trim();
  const shown = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
  return `answered HTTP ${status}${shown === '' ? '' : `: ${shown}`}`;
}

function formatDuration(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
