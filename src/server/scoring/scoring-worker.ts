import type { Db } from '../db/open-database.ts';
import type { PlaybookStore } from '../playbooks/playbook-store.ts';
import type { FreshEvents } from './fresh-events.ts';
import { type QueuedBatchResult, scoreQueuedBatch } from './score-queued.ts';

export interface ScoringWorker {
  /** Asks for the queue to be worked soon; calls while a run is going on coalesce into one more pass. */
  kick(): void;
  /** Resolves once the queue has been worked until empty (rejects if scoring failed). */
  drain(): Promise<void>;
  /** Polls every `intervalMs` for rows queued by other processes or left by a crash. */
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

/**
 * The in-process scoring loop. Ingestion kicks it after each commit, so scores follow
 * events within one batch's time; the poll picks up anything else. Work is claimed from the
 * database queue, so any number of processes can run a worker.
 */
export function createScoringWorker(deps: {
  db: Db;
  playbooks: PlaybookStore;
  clock: () => number;
  batchSize?: number;
  /** Events this process just stored, so they need not be read back. */
  fresh?: FreshEvents;
  onBatch?: (result: QueuedBatchResult) => void | Promise<void>;
  onError?: (error: unknown) => void;
}): ScoringWorker {
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  async function run(): Promise<void> {
    try {
      do {
        again = false;
        for (;;) {
          const result = await scoreQueuedBatch(deps.db, deps.playbooks, deps.clock, deps.batchSize, deps.fresh);
          if (result.claimed === 0) break;
          await deps.onBatch?.(result);
        }
      } while (again);
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
      await running?.catch(() => undefined);
    },
  };
}
