import type { PlaybookStore } from '../../core/playbook/playbook-store.ts';
import type { Db } from '../db/open-database.ts';
import { createWorkLoop, type WorkLoop } from '../jobs/work-loop.ts';
import { refreshQueuedCompanyScores } from './company-scores.ts';
import type { FreshEvents } from './fresh-events.ts';
import { type QueuedBatchResult, scoreQueuedBatch } from './score-queued.ts';

export type ScoringWorker = WorkLoop;

/** How often companies roll up while events keep coming (a drain rolls them up at once). */
const COMPANY_REFRESH_EVERY_MS = 250;

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
  let companiesRefreshedAt = 0;
  let draining = 0;
  let later: NodeJS.Timeout | null = null;
  const loop = createWorkLoop({
    pass: async () => {
      const result = await scoreQueuedBatch(deps.db, deps.playbooks, deps.clock, deps.batchSize, deps.fresh);
      // Company scores roll up from contacts already scored, in a transaction of their own, at
      // most every 250 ms unless a caller drains: a burst of events then rolls each company up
      // a few times instead of once per batch. A pass too early asks for one when it is time.
      let companies = 0;
      const wait = COMPANY_REFRESH_EVERY_MS - (Date.now() - companiesRefreshedAt);
      if (draining > 0 || wait <= 0) {
        companies = await refreshQueuedCompanyScores(deps.db, deps.playbooks, deps.clock);
        companiesRefreshedAt = Date.now();
      } else if (later === null) {
        later = setTimeout(() => {
          later = null;
          loop.kick();
        }, wait);
        later.unref();
      }
      if (result.claimed === 0 && companies === 0) return false;
      if (result.claimed > 0) await deps.onBatch?.(result);
      return true;
    },
    onError: deps.onError,
  });
  return {
    ...loop,
    async stop() {
      if (later !== null) clearTimeout(later);
      later = null;
      await loop.stop();
    },
    /** Runs until contacts and companies are all scored. */
    async drain() {
      draining++;
      try {
        await loop.drain();
      } finally {
        draining--;
      }
    },
  };
}
