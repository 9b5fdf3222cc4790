import type { RecurringJob } from './ensure-recurring-jobs.ts';

export const SLA_SWEEP = 'sla-sweep';
export const MQL_EXPIRY = 'mql-expiry';
export const TEMPERATURE_REFRESH = 'temperature-refresh';
export const WEBHOOK_DELIVERY = 'webhook-delivery';
export const JOBS_CLEANUP = 'jobs-cleanup';
export const EVENT_RETENTION = 'event-retention';
export const COMPANY_ENRICHMENT = 'company-enrichment';
export const PREDICTIVE_TRAINING = 'predictive-training';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The recurring sweeps, one job per workspace per slot (docs/jobs.md). Each handler takes
 * `now` and does whatever is due at that moment, so a late or repeated run is harmless.
 * Webhook delivery is also kicked right after the writes that create deliveries; this slot
 * is the safety net for deliveries whose retry time has come or whose kick was lost.
 */
export const RECURRING_SCHEDULE: readonly RecurringJob[] = [
  { kind: SLA_SWEEP, everyMs: MINUTE, maxAttempts: 3 },
  { kind: MQL_EXPIRY, everyMs: 15 * MINUTE, maxAttempts: 3 },
  { kind: TEMPERATURE_REFRESH, everyMs: HOUR, maxAttempts: 3 },
  { kind: WEBHOOK_DELIVERY, everyMs: 10 * SECOND, maxAttempts: 1 },
  { kind: JOBS_CLEANUP, everyMs: 24 * HOUR, maxAttempts: 5 },
  { kind: EVENT_RETENTION, everyMs: 24 * HOUR, maxAttempts: 5 },
  { kind: COMPANY_ENRICHMENT, everyMs: MINUTE, maxAttempts: 3 },
  { kind: PREDICTIVE_TRAINING, everyMs: 24 * HOUR, maxAttempts: 2 },
];

/**
 * The schedule this process can run: kinds without a handler are left out, so a build where
 * a feature's handler is not wired yet never fills the failed list with unknown-kind jobs.
 */
export function scheduleWithHandlers(handlers: Readonly<Record<string, unknown>>): RecurringJob[] {
  return RECURRING_SCHEDULE.filter((job) => Object.hasOwn(handlers, job.kind));
}
