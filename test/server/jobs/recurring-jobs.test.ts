import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DONE_JOB_RETENTION_MS } from '../../../src/server/jobs/cleanup-jobs.ts';
import { enqueueJob } from '../../../src/server/jobs/enqueue-job.ts';
import type { RecurringJob } from '../../../src/server/jobs/ensure-recurring-jobs.ts';
import { createJobRunner, type JobHandler } from '../../../src/server/jobs/job-runner.ts';
import {
  JOBS_CLEANUP,
  RECURRING_SCHEDULE,
  scheduleWithHandlers,
  WEBHOOK_DELIVERY,
} from '../../../src/server/jobs/recurring-schedule.ts';
import { HOUR, MINUTE } from '../../helpers/time.ts';
import { useTestApp } from '../helpers/test-app.ts';

let otherWorkspaceId: string;
const t = useTestApp();
beforeAll(async () => {
  const other = await t.db.insertInto('workspaces').values({ name: 'Other' }).returning('id').executeTakeFirstOrThrow();
  otherWorkspaceId = other.id;
});
beforeEach(async () => {
  await t.db.deleteFrom('jobs').execute();
});

const SCHEDULE: RecurringJob[] = [
  { kind: 'every-minute', everyMs: MINUTE, maxAttempts: 1 },
  { kind: 'every-hour', everyMs: HOUR, maxAttempts: 3 },
];

async function scheduledJobs() {
  return t.db
    .selectFrom('jobs')
    .select(['workspace_id', 'kind', 'dedupe_key', 'run_at', 'status', 'max_attempts'])
    .where('kind', 'in', ['every-minute', 'every-hour'])
    .orderBy('id')
    .execute();
}

describe('recurring jobs', () => {
  it('creates one job per workspace and kind per slot, however many runners tick in it', async () => {
    const noon = Date.UTC(2026, 4, 4, 12, 0, 30);
    t.clock.now = noon;
    const runs: string[] = [];
    const record: JobHandler = async (job) => {
      runs.push(`${job.workspaceId === t.workspaceId ? 'main' : 'other'} ${job.kind}`);
    };
    const handlers = { 'every-minute': record, 'every-hour': record };
    const runners = [1, 2, 3].map(() =>
      createJobRunner({ db: t.db, clock: () => t.clock.now, handlers, schedule: SCHEDULE }),
    );

    await Promise.all(runners.map((runner) => runner.tick()));
    await Promise.all(runners.map((runner) => runner.drain()));
    const minuteSlot = Math.floor(noon / MINUTE);
    const firstSlot = await scheduledJobs();
    expect(firstSlot).toHaveLength(4);
    expect(firstSlot.filter((job) => job.workspace_id === otherWorkspaceId)).toHaveLength(2);
    expect(firstSlot.find((job) => job.kind === 'every-minute')).toMatchObject({
      dedupe_key: `every-minute:${minuteSlot}`,
      run_at: new Date(Date.UTC(2026, 4, 4, 12, 0, 0)),
      status: 'done',
      max_attempts: 1,
    });
    expect(runs.sort()).toEqual(['main every-hour', 'main every-minute', 'other every-hour', 'other every-minute']);

    t.clock.now = Date.UTC(2026, 4, 4, 12, 0, 59, 999);
    await Promise.all(runners.map((runner) => runner.drain()));
    expect(await scheduledJobs()).toHaveLength(4);

    t.clock.now = Date.UTC(2026, 4, 4, 12, 1, 0);
    await Promise.all(runners.map((runner) => runner.drain()));
    const secondSlot = await scheduledJobs();
    expect(secondSlot).toHaveLength(6);
    expect(secondSlot.slice(4).map((job) => [job.kind, job.dedupe_key])).toEqual([
      ['every-minute', `every-minute:${minuteSlot + 1}`],
      ['every-minute', `every-minute:${minuteSlot + 1}`],
    ]);
    expect(runs).toHaveLength(6);
  });

  it('schedules only the kinds this process has a handler for', () => {
    expect(RECURRING_SCHEDULE.map((job) => [job.kind, job.everyMs])).toEqual([
      ['sla-sweep', MINUTE],
      ['mql-expiry', 15 * MINUTE],
      ['temperature-refresh', HOUR],
      ['webhook-delivery', 10_000],
      ['jobs-cleanup', 24 * HOUR],
      ['event-retention', 24 * HOUR],
      ['company-enrichment', MINUTE],
      ['predictive-training', 24 * HOUR],
    ]);
    const handler: JobHandler = async () => undefined;
    expect(
      scheduleWithHandlers({ [JOBS_CLEANUP]: handler, [WEBHOOK_DELIVERY]: handler }).map((job) => job.kind),
    ).toEqual([WEBHOOK_DELIVERY, JOBS_CLEANUP]);
  });

  it('deletes done jobs older than a week in the daily cleanup, and keeps the rest', async () => {
    const now = Date.UTC(2026, 4, 11, 3, 0, 0);
    t.clock.now = now;
    const finishedAt = {
      'done-old': now - DONE_JOB_RETENTION_MS - 1,
      'done-recent': now - DONE_JOB_RETENTION_MS + 1000,
      'failed-old': now - DONE_JOB_RETENTION_MS - 1,
    };
    for (const [kind, at] of Object.entries(finishedAt)) {
      for (const workspaceId of [t.workspaceId, otherWorkspaceId]) {
        await enqueueJob(t.db, { workspaceId, kind, runAt: at - 1000 });
      }
      await t.db
        .updateTable('jobs')
        .set({ status: kind.startsWith('done') ? 'done' : 'failed', finished_at: new Date(at) })
        .where('kind', '=', kind)
        .execute();
    }

    // The app's own runner: jobs-cleanup is built in and scheduled for every workspace.
    await t.jobs.drain();
    // The other recurring sweeps (SLA, expiry, …) ran in the same pass; this test is about cleanup.
    const ours = new Set(['done-recent', 'done-old', 'failed-old', JOBS_CLEANUP]);
    const left = (await t.db.selectFrom('jobs').select(['kind', 'status']).orderBy('id').execute()).filter((job) =>
      ours.has(job.kind),
    );
    expect(left.map((job) => job.kind)).toEqual([
      'done-recent',
      'done-recent',
      'failed-old',
      'failed-old',
      JOBS_CLEANUP,
      JOBS_CLEANUP,
    ]);
    expect(left.filter((job) => job.kind === JOBS_CLEANUP).every((job) => job.status === 'done')).toBe(true);
  });
});
