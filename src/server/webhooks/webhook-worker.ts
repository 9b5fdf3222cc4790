import type { Db } from '../db/open-database.ts';
import { type DeliveryRound, deliverDueWebhooks } from './deliver-webhooks.ts';

export interface WebhookWorker {
  /** Asks for due deliveries to be sent soon; calls while a run is going on coalesce into one more pass. */
  kick(): void;
  /** Resolves once every delivery due now has been attempted (rejects if recording an outcome failed). */
  drain(): Promise<void>;
  /** Polls every `intervalMs` for retries coming due and for messages written by other processes. */
  start(intervalMs?: number): void;
  /** Stops polling and drops attempts in flight; their leases run out and another worker retries them. */
  stop(): Promise<void>;
}

/** The in-process webhook sender; the outbox in the database is the queue, so every process may run one. */
export function createWebhookWorker(deps: {
  db: Db;
  clock: () => number;
  allowList: readonly string[];
  timeoutMs?: number;
  random?: () => number;
  lookup?: (hostname: string) => Promise<string[]>;
  batchSize?: number;
  onRound?: (round: DeliveryRound) => void;
  onError?: (error: unknown) => void;
}): WebhookWorker {
  const shutdown = new AbortController();
  const deliverDeps = {
    now: deps.clock,
    allowList: deps.allowList,
    timeoutMs: deps.timeoutMs,
    random: deps.random,
    lookup: deps.lookup,
    signal: shutdown.signal,
  };
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  async function run(): Promise<void> {
    try {
      do {
        again = false;
        // Every claimed delivery is settled or leased past `now`, so this ends once nothing is due.
        for (;;) {
          const round = await deliverDueWebhooks(deps.db, deliverDeps, deps.batchSize);
          if (round.attempted === 0) break;
          deps.onRound?.(round);
        }
      } while (again && !shutdown.signal.aborted);
    } finally {
      // Cleared in the same tick as the last `again` check, so no kick can fall in between.
      running = null;
    }
  }

  function drain(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = run();
    return running;
  }

  return {
    kick() {
      drain().catch((error: unknown) => deps.onError?.(error));
    },
    drain,
    start(intervalMs = 1000) {
      if (timer) return;
      timer = setInterval(() => this.kick(), intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      shutdown.abort();
      await running?.catch(() => undefined);
    },
  };
}
