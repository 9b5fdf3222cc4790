import type { PlaybookStore } from '../../core/playbook/playbook-store.ts';
import type { Db } from '../db/open-database.ts';
import type { JobHandler } from '../jobs/job-runner.ts';
import { MQL_EXPIRY, SLA_SWEEP, WEBHOOK_DELIVERY } from '../jobs/recurring-schedule.ts';
import type { WebhookWorker } from '../webhooks/webhook-worker.ts';
import { expireMqls } from './expire-mqls.ts';
import { sweepSla } from './sweep-sla.ts';

/**
 * The recurring sweeps behind the job schedule (docs/jobs.md). Each takes `now` from the job
 * runner and does what is due then; whatever they write to the outbox is sent right after.
 */
export function createHandoffJobHandlers(deps: {
  db: Db;
  playbooks: PlaybookStore;
  webhooks: WebhookWorker;
}): Record<string, JobHandler> {
  return {
    [SLA_SWEEP]: async (job, now) => {
      await sweepSla(deps, job.workspaceId, now);
      deps.webhooks.kick();
    },
    [MQL_EXPIRY]: async (job, now) => {
      await expireMqls(deps, job.workspaceId, now);
      deps.webhooks.kick();
    },
    [WEBHOOK_DELIVERY]: async () => {
      await deps.webhooks.drain();
    },
  };
}
