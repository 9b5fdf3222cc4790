import { assertUnreachable } from '../../core/result.ts';
import { classifyResponse, nextAttemptAt, parseRetryAfter } from '../../core/webhooks/retry-schedule.ts';
import type { Db } from '../db/open-database.ts';
import { checkWebhookUrl } from './check-webhook-url.ts';
import { type ClaimedDelivery, claimDueDeliveries } from './claim-due-deliveries.ts';
import { type DeliveryRef, type DeliveryVerdict, recordDeliveryOutcome } from './record-delivery-outcome.ts';
import { type SendWebhookResult, sendWebhook } from './send-webhook.ts';
import { webhookHeaders } from './sign-webhook.ts';

export const DEFAULT_TIMEOUT_MS = 15_000;
/** A claim outlives the longest attempt by this much, so a live worker never loses its delivery to another. */
const LEASE_MARGIN_MS = 30_000;
/** Receivers answered at once; enough to hide one slow endpoint, few enough to stay gentle. */
const PARALLELISM = 8;

export interface DeliverDeps {
  /** Epoch ms; read at the claim and again at each attempt. */
  now: () => number;
  /** RIPEN_WEBHOOK_ALLOW entries. */
  allowList: readonly string[];
  /** In [0, 1], for retry jitter; defaults to Math.random. */
  random?: () => number;
  timeoutMs?: number;
  /** Host name resolver for the URL check; defaults to the system resolver. */
  lookup?: (hostname: string) => Promise<string[]>;
  /** Aborted on shutdown: attempts in flight are dropped unrecorded and run again when their lease ends. */
  signal?: AbortSignal;
}

/** Deliveries settled in one round; `attempted` is the sum of the other four. */
export interface DeliveryRound {
  attempted: number;
  delivered: number;
  retried: number;
  /** Gave up after 3 days, or not sent because the endpoint is disabled or gone. */
  failed: number;
  /** The receiver answered 410 Gone. */
  gone: number;
}

/**
 * One sweep of the outbox: claims up to `limit` deliveries due now, sends them (a few at a time, outside any
 * transaction) and records each verdict. Safe to run in any number of workers and processes at once.
 */
export async function deliverDueWebhooks(db: Db, deps: DeliverDeps, limit = 50): Promise<DeliveryRound> {
  const round: DeliveryRound = { attempted: 0, delivered: 0, retried: 0, failed: 0, gone: 0 };
  if (deps.signal?.aborted) return round;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = deps.now();
  const claimed = await claimDueDeliveries(db, now, now + timeoutMs + LEASE_MARGIN_MS, limit);
  await forEachConcurrently(claimed, PARALLELISM, async (delivery) => {
    const attempt = await attemptDelivery(delivery, deps, timeoutMs);
    if (attempt === null) return;
    await recordDeliveryOutcome(db, attempt.ref, attempt.verdict);
    round.attempted++;
    round[countedAs(attempt.verdict)]++;
  });
  return round;
}

async function attemptDelivery(
  delivery: ClaimedDelivery,
  deps: DeliverDeps,
  timeoutMs: number,
): Promise<{ ref: DeliveryRef; verdict: DeliveryVerdict } | null> {
  const { endpoint, body } = delivery;
  const at = deps.now();
  const ref = { ...delivery, firstAttemptAt: delivery.firstAttemptAt ?? at };
  if (endpoint === null || body === null) {
    return { ref, verdict: { kind: 'not-sent', error: 'not sent: the endpoint or the message was deleted' } };
  }
  if (!endpoint.enabled) {
    const why = endpoint.disabledReason ?? 'disabled';
    return { ref, verdict: { kind: 'not-sent', error: `not sent: the endpoint is disabled (${why})` } };
  }
  const sent = await sendChecked(endpoint, delivery.messageId, body, at, deps, timeoutMs);
  if (sent.kind === 'aborted') return null;
  const random = (deps.random ?? Math.random)();
  return { ref, verdict: judgeAttempt(sent, delivery.attempts + 1, ref.firstAttemptAt, at, random) };
}

/** Turns a receiver's answer (or its silence) into a verdict; `attempt` counts this one. */
function judgeAttempt(
  sent: Exclude<SendWebhookResult, { kind: 'aborted' }>,
  attempt: number,
  firstAttemptAt: number,
  at: number,
  random: number,
): DeliveryVerdict {
  if (sent.kind === 'answered') {
    const outcome = classifyResponse(sent.status);
    if (outcome === 'delivered') return { kind: 'delivered', at, status: sent.status };
    if (outcome === 'gone') return { kind: 'gone', at };
  }
  const status = sent.kind === 'answered' ? sent.status : null;
  const error = sent.error ?? `answered HTTP ${status}`;
  const retryAfter = sent.kind === 'answered' ? parseRetryAfter(sent.retryAfter, at) : null;
  const next = nextAttemptAt(attempt, at, firstAttemptAt, retryAfter, random);
  return next === null
    ? { kind: 'gave-up', at, status, error }
    : { kind: 'retry', at, status, error, nextAttemptAt: next };
}

/** Re-checks the URL (DNS answers change) and sends to the checked addresses only; a refusal is a failed attempt. */
async function sendChecked(
  endpoint: { url: string; secret: string },
  messageId: string,
  body: string,
  at: number,
  deps: DeliverDeps,
  timeoutMs: number,
): Promise<SendWebhookResult> {
  const checked = await checkWebhookUrl(endpoint.url, { allowList: deps.allowList, lookup: deps.lookup });
  if (!checked.ok) return { kind: 'unanswered', error: `not sent: ${checked.error.message}` };
  const timestamp = Math.floor(at / 1000);
  return sendWebhook({
    url: checked.value.url,
    addresses: checked.value.addresses,
    headers: webhookHeaders({ secret: endpoint.secret, id: messageId, timestamp, body }),
    body,
    timeoutMs,
    signal: deps.signal,
  });
}

function countedAs(verdict: DeliveryVerdict): Exclude<keyof DeliveryRound, 'attempted'> {
  switch (verdict.kind) {
    case 'delivered':
      return 'delivered';
    case 'retry':
      return 'retried';
    case 'gave-up':
    case 'not-sent':
      return 'failed';
    case 'gone':
      return 'gone';
    default:
      return assertUnreachable(verdict);
  }
}

/** Runs `work` over `items`, at most `parallelism` at a time; rethrows the first failure once all have finished. */
async function forEachConcurrently<T>(
  items: readonly T[],
  parallelism: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async () => {
    for (let item = items[next++]; item !== undefined; item = items[next++]) {
      await work(item).catch((error: unknown) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, items.length) }, lane));
  if (failures.length > 0) throw failures[0];
}
