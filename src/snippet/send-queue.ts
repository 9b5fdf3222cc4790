import type { Storage } from './storage.ts';

/** A Segment message as the snippet sends it; `messageId` makes every resend idempotent. */
export interface Message {
  type: 'page' | 'track' | 'identify' | 'group';
  messageId: string;
  [field: string]: unknown;
}

export interface SendQueue {
  /** Queues a message; it is sent in the next batch. */
  add(message: Message): void;
  /** Sends what is queued now, with `sendBeacon` (the page is being hidden or left). */
  beacon(): void;
  /** Forgets everything queued (consent withdrawn). */
  clear(): void;
}

const QUEUE_KEY = 'ripen_queue';
const BATCH_DELAY_MS = 300;
const MAX_BATCH = 50;
const MAX_QUEUE = 500;
/** Browsers refuse keepalive requests and beacons over 64 KB. */
const BEACON_BYTES = 60_000;
const MAX_BACKOFF_MS = 60_000;

/**
 * Batches messages to `/v1/batch`, retries failures with exponential back-off and jitter,
 * and keeps them (in localStorage, when storing is allowed) while the browser is offline.
 * Bodies are `text/plain` JSON carrying the write key, so the browser sends no preflight.
 * A 4xx other than 408/429 is final: the key or origin was refused, or the message is invalid
 * (kept in quarantine by the server); retrying would not change the answer.
 */
export function createSendQueue(
  endpoint: string,
  writeKey: string,
  storage: Storage,
  /** Consent mode: false until the visitor consents (a queue kept from an earlier visit waits too). */
  canSend: () => boolean,
): SendQueue {
  let queue: Message[] = parse(storage.get(QUEUE_KEY));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending = false;
  let attempt = 0;
  let refused = false;

  const save = () => {
    if (queue.length > 0) storage.set(QUEUE_KEY, JSON.stringify(queue));
    else storage.remove(QUEUE_KEY);
  };
  const drop = (sent: readonly Message[]) => {
    const ids = new Set(sent.map((message) => message.messageId));
    queue = queue.filter((message) => !ids.has(message.messageId));
    save();
  };
  const body = (batch: readonly Message[]) => JSON.stringify({ writeKey, sentAt: new Date().toISOString(), batch });
  const schedule = (delay: number) => {
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
  };
  const retry = () => {
    attempt++;
    const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt);
    schedule(backoff / 2 + (Math.random() * backoff) / 2);
  };

  function flush(): void {
    if (sending || refused || queue.length === 0 || !navigator.onLine || !canSend()) return;
    const batch = queue.slice(0, MAX_BATCH);
    const text = body(batch);
    sending = true;
    fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: text,
      credentials: 'omit',
      keepalive: text.length < BEACON_BYTES,
    })
      .then((response) => {
        sending = false;
        const status = response.status;
        if (status < 400 || (status < 500 && status !== 408 && status !== 429)) {
          drop(batch);
          attempt = 0;
          refused = status === 401 || status === 403;
          if (queue.length > 0) schedule(0);
        } else retry();
      })
      .catch(() => {
        sending = false;
        retry();
      });
  }

  addEventListener('online', () => {
    attempt = 0;
    schedule(0);
  });
  if (queue.length > 0) schedule(BATCH_DELAY_MS);

  return {
    add(message) {
      queue.push(message);
      if (queue.length > MAX_QUEUE) queue = queue.slice(-MAX_QUEUE);
      save();
      if (attempt === 0) schedule(queue.length >= MAX_BATCH ? 0 : BATCH_DELAY_MS);
    },
    clear() {
      queue = [];
      save();
    },
    beacon() {
      if (refused || queue.length === 0 || !navigator.onLine || !canSend() || !navigator.sendBeacon) return;
      const batch: Message[] = [];
      let size = 200;
      for (const message of queue) {
        size += JSON.stringify(message).length + 1;
        if (size > BEACON_BYTES) break;
        batch.push(message);
      }
      // A message also in flight may arrive twice: the server keeps it once (by its id).
      if (navigator.sendBeacon(endpoint, new Blob([body(batch)], { type: 'text/plain' }))) drop(batch);
    },
  };
}

function parse(text: string | null): Message[] {
  try {
    const value: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}
