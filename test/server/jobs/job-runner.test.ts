import { setTimeout as wait } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { claimJobs } from '../../../src/server/jobs/claim-jobs.ts';
import { completeJob } from '../../../src/server/jobs/complete-job.ts';
import { enqueueJob } from '../../../src/server/jobs/enqueue-job.ts';
import { failJob, retryDelayMs } from '../../../src/server/jobs/fail-job.ts';
import { createJobRunner, type JobHandler, type RunningJob } from '../../../src/server/jobs/job-runner.ts';
import { MINUTE } from '../../helpers/time.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();
beforeEach(async () => {
  await t.db.deleteFrom('jobs').execute();
});

function runner(handlers: Record<string, JobHandler>, batchSize?: number) {
  return createJobRunner({ db: t.db, clock: () => t.clock.now, handlers, batchSize, leaseMs: 5 * MINUTE });
}

async function jobsOfKind(kind: string) {
  return t.db
    .selectFrom('jobs')
    .select(['id', 'status', 'attempts', 'run_at', 'last_error', 'locked_until', 'finished_at'])
    .where('kind', '=', kind)
    .orderBy('id')
    .execute();
}

async function onlyJob(kind: string) {
  const [job, ...others] = await jobsOfKind(kind);
  expect(others).toEqual([]);
  if (!job) throw new Error(`no ${kind} job`);
  return job;
}

describe('the job queue', () => {
  it('waits 10 s, 20 s, 40 s … between attempts, capped at an hour', () => {
    expect([1, 2, 3, 4, 9, 10, 20].map(retryDelayMs)).toEqual([
      10_000, 20_000, 40_000, 80_000, 2_560_000, 3_600_000, 3_600_000,
    ]);
  });

  it('enqueues a job once per dedupe key', async () => {
    const job = { workspaceId: t.workspaceId, kind: 'once', runAt: t.clock.now, dedupeKey: 'contact-1' };
    expect(await enqueueJob(t.db, job)).toBe(true);
    expect(await enqueueJob(t.db, job)).toBe(false);
    expect(await enqueueJob(t.db, { ...job, dedupeKey: undefined })).toBe(true);
    expect(await enqueueJob(t.db, { ...job, dedupeKey: undefined })).toBe(true);
    expect(await jobsOfKind('once')).toHaveLength(3);
  });

  it('retries a handler that throws on the first attempt, after the back-off, and then it is done', async () => {
    const start = t.clock.now;
    const seen: RunningJob[] = [];
    const jobs = runner({
      flaky: async (job) => {
        seen.push(job);
        if (job.attempts === 1) throw new Error('CRM answered 503');
      },
    });
    await enqueueJob(t.db, { workspaceId: t.workspaceId, kind: 'flaky', payload: { n: 1 }, runAt: start });

    await jobs.drain();
    expect(await onlyJob('flaky')).toMatchObject({
      status: 'queued',
      attempts: 1,
      last_error: 'CRM answered 503',
      run_at: new Date(start + 10_000),
    });

    t.clock.now = start + 9_999;
    await jobs.drain();
    expect(seen).toHaveLength(1);

    t.clock.now = start + 10_000;
    await jobs.drain();
    expect(seen.map((job) => [job.attempts, job.payload])).toEqual([
      [1, { n: 1 }],
      [2, { n: 1 }],
    ]);
    expect(await onlyJob('flaky')).toMatchObject({
      status: 'done',
      attempts: 2,
      finished_at: new Date(start + 10_000),
    });
    t.clock.now = start;
  });

  it('takes a job again once the lease of a runner that stopped mid-job has expired, and not before', async () => {
    const start = t.clock.now;
    await enqueueJob(t.db, { workspaceId: t.workspaceId, kind: 'sweep', runAt: start });
    const [crashed] = await claimJobs(t.db, start, 10, 5 * MINUTE);
    if (!crashed) throw new Error('nothing claimed');

    let calls = 0;
    const jobs = runner({
      sweep: async () => {
        calls++;
      },
    });
    t.clock.now = start + 5 * MINUTE;
    await jobs.drain();
    expect(calls).toBe(0);
    expect(await onlyJob('sweep')).toMatchObject({ status: 'running', attempts: 1 });

    t.clock.now = start + 5 * MINUTE + 1;
    await jobs.drain();
    expect(calls).toBe(1);
    expect(await onlyJob('sweep')).toMatchObject({ status: 'done', attempts: 2 });

    // The stalled runner wakes up: what it reports no longer changes the job.
    expect(await completeJob(t.db, crashed, t.clock.now)).toBe(false);
    await failJob(t.db, crashed, t.clock.now, new Error('late'));
    expect(await onlyJob('sweep')).toMatchObject({ status: 'done', attempts: 2, last_error: null });
    t.clock.now = start;
  });

  it('fails a job whose last attempt never finished instead of running it again', async () => {
    const start = t.clock.now;
    await enqueueJob(t.db, { workspaceId: t.workspaceId, kind: 'poison', runAt: start, maxAttempts: 1 });
    await claimJobs(t.db, start, 10, 5 * MINUTE);
    let calls = 0;
    t.clock.now = start + 5 * MINUTE + 1;
    await runner({
      poison: async () => {
        calls++;
      },
    }).drain();
    expect(calls).toBe(0);
    const job = await onlyJob('poison');
    expect(job).toMatchObject({ status: 'failed', attempts: 2 });
    expect(job.last_error).toMatch(/^abandoned: attempt 1 of 1 never finished/);
    t.clock.now = start;
  });

  it('fails a job of an unknown kind, naming the kinds this process knows', async () => {
    await enqueueJob(t.db, { workspaceId: t.workspaceId, kind: 'no-such-kind', runAt: t.clock.now, maxAttempts: 1 });
    await runner({ 'sla-sweep': async () => undefined, 'mql-expiry': async () => undefined }).drain();
    expect(await onlyJob('no-such-kind')).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'no handler for job kind `no-such-kind` in this process (known kinds: mql-expiry, sla-sweep)',
    });
  });

  it('runs every job exactly once when two runners drain at the same time', async () => {
    const total = 60;
    for (let i = 0; i < total; i++) {
      await enqueueJob(t.db, { workspaceId: t.workspaceId, kind: 'count', payload: { i }, runAt: t.clock.now - i });
    }
    const calls = new Map<number, number>();
    const byRunner = [0, 0];
    const counting =
      (runnerIndex: number): JobHandler =>
      async (job) => {
        calls.set(job.id, (calls.get(job.id) ?? 0) + 1);
        byRunner[runnerIndex] = (byRunner[runnerIndex] ?? 0) + 1;
        // Yield while holding the claim, so the other runner claims in between.
        await wait(2);
      };
    const first = runner({ count: counting(0) }, 4);
    const second = runner({ count: counting(1) }, 4);
    await Promise.all([first.drain(), second.drain(), first.drain(), second.drain()]);

    expect(calls.size).toBe(total);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    expect(byRunner.every((n) => n > 0)).toBe(true);
    const rows = await jobsOfKind('count');
    expect(rows.every((row) => row.status === 'done' && row.attempts === 1)).toBe(true);
  });

  it('coalesces kicks into drains and stops cleanly', async () => {
    let calls = 0;
    const jobs = runner({
      kicked: async () => {
        calls++;
      },
    });
    await enqueueJob(t.db, { workspaceId: t.workspaceId, kind: 'kicked', runAt: t.clock.now });
    jobs.kick();
    jobs.kick();
    await jobs.drain();
    expect(calls).toBe(1);
    await jobs.stop();
    await enqueueJob(t.db, { workspaceId: t.workspaceId, kind: 'kicked', runAt: t.clock.now });
    jobs.kick();
    await jobs.drain();
    expect(calls).toBe(1);
  });
});
