import type { PlaybookStore } from '../../core/playbook/playbook-store.ts';
import type { Db } from '../db/open-database.ts';
import { createWorkLoop, type WorkLoop } from '../jobs/work-loop.ts';
import { refreshQueuedCompanyScores } from './company-scores.ts';
import type { FreshEvents } from './fresh-events.ts';
import { type QueuedBatchResult, scoreQueuedBatch } from './score-queued.ts';

export type ScoringWorker = WorkLoop;

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
  return createWorkLoop({
    pass: async () => {
      const result = await scoreQueuedBatch(deps.db, deps.playbooks, deps.clock, deps.batchSize, deps.fresh);
      // Company scores roll up from contacts already scored, in a transaction of their own.
      const companies = await refreshQueuedCompanyScores(deps.db, deps.playbooks, deps.clock);
      if (result.claimed === 0 && companies === 0) return false;
      if (result.claimed > 0) await deps.onBatch?.(result);
      return true;
    },
    onError: deps.onError,
  });
}
