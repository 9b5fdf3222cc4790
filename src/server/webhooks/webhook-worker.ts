import type { Db } from '../db/open-database.ts';
import { createWorkLoop, type WorkLoop } from '../jobs/work-loop.ts';
import { type DeliveryRound, deliverDueWebhooks } from './deliver-webhooks.ts';

export type WebhookWorker = WorkLoop;

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
  return createWorkLoop({
    // Every claimed delivery is settled or leased past `now`, so this ends once nothing is due.
    pass: async () => {
      const round = await deliverDueWebhooks(deps.db, deliverDeps, deps.batchSize);
      if (round.attempted === 0) return false;
      deps.onRound?.(round);
      return true;
    },
    onError: deps.onError,
    // Drops attempts in flight; their leases run out and a worker retries them.
    onStop: () => shutdown.abort(),
  });
}
