import { beforeEach, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../../src/server/jobs/enqueue-job.ts';
import { createJobRunner } from '../../../src/server/jobs/job-runner.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();
beforeEach(async () => {
  await t.db.deleteFrom('jobs').execute();
});

async function post(path: string, authorization = t.secretAuth) {
  return t.app.inject({ method: 'POST', url: path, headers: { authorization } });
}

describe('the jobs API', () => {
  it('shows a job that used up its attempts as failed, and retry puts it back in the queue', async () => {
    const start = t.clock.now;
    let calls = 0;
    const jobs = createJobRunner({
      db: t.db,
      clock: () => t.clock.now,
      handlers: {
        'push-crm': async () => {
          calls++;
          throw new Error('CRM rejected the request: 401');
        },
      },
    });
    await enqueueJob(t.db, {
      workspaceId: t.workspaceId,
      kind: 'push-crm',
      payload: { contactId: 'c-1' },
      runAt: start,
      maxAttempts: 3,
    });
    await jobs.drain();
    t.clock.now = start + 10_000;
    await jobs.drain();
    t.clock.now = start + 30_000 - 1;
    await jobs.drain();
    expect(calls).toBe(2);
    const queued = await t.get('/api/jobs?status=queued');
    expect(queued.json().items).toMatchObject([
      { kind: 'push-crm', attempts: 2, runAt: new Date(start + 30_000).toISOString() },
    ]);

    t.clock.now = start + 30_000;
    await jobs.drain();
    expect(calls).toBe(3);
    const failed = await t.get('/api/jobs?status=failed');
    expect(failed.statusCode).toBe(200);
    const [job] = failed.json().items;
    expect(job).toMatchObject({
      kind: 'push-crm',
      status: 'failed',
      attempts: 3,
      maxAttempts: 3,
      lastError: 'CRM rejected the request: 401',
      finishedAt: new Date(start + 30_000).toISOString(),
      lockedUntil: null,
    });
    expect((await t.get('/api/jobs?status=queued')).json().items).toEqual([]);

    t.clock.now = start + 3_600_000;
    const retried = await post(`/api/jobs/${job.id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({
      id: job.id,
      status: 'queued',
      attempts: 0,
      runAt: new Date(start + 3_600_000).toISOString(),
      finishedAt: null,
    });
    expect((await t.get('/api/jobs?status=failed')).json().items).toEqual([]);
    const again = await post(`/api/jobs/${job.id}/retry`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'job_not_failed' });
    expect((await post('/api/jobs/999999999/retry')).json().error).toMatchObject({ code: 'not_found' });

    await jobs.drain();
    expect(calls).toBe(4);
    t.clock.now = start;
  });

  it('pages jobs newest first and filters by kind', async () => {
    for (const kind of ['a', 'b', 'a', 'a']) {
      await enqueueJob(t.db, { workspaceId: t.workspaceId, kind, runAt: t.clock.now + 60_000 });
    }
    const first = (await t.get('/api/jobs?kind=a&limit=2')).json();
    expect(first.items).toHaveLength(2);
    expect(first.items[0].id).toBeGreaterThan(first.items[1].id);
    const second = (await t.get(`/api/jobs?kind=a&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(second.items[0].id).toBeLessThan(first.items[1].id);
    expect((await t.get('/api/jobs?cursor=nonsense')).json().error.code).toBe('invalid_cursor');
    expect((await t.get('/api/jobs?status=stuck')).statusCode).toBe(400);
  });

  it('counts what waits in the score queue, the job queue and webhook deliveries', async () => {
    const other = await t.db
      .insertInto('workspaces')
      .values({ name: 'Other' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const empty = await t.get('/api/queues');
    expect(empty.json()).toEqual({
      scoreQueue: { pending: 0, oldestQueuedAt: null },
      jobs: { queued: 0, running: 0, failed: 0 },
      webhookDeliveries: { pending: 0, failed: 0 },
    });

    const oldest = new Date(t.clock.now - 5000);
    for (const workspaceId of [t.workspaceId, other.id]) {
      await t.db
        .insertInto('score_queue')
        .values([
          { workspace_id: workspaceId, contact_id: crypto.randomUUID(), queued_at: new Date(t.clock.now - 1000) },
          { workspace_id: workspaceId, contact_id: crypto.randomUUID(), queued_at: oldest },
        ])
        .execute();
      for (const status of ['queued', 'queued', 'running', 'failed', 'done'] as const) {
        await enqueueJob(t.db, { workspaceId, kind: 'x', runAt: t.clock.now });
        await t.db.updateTable('jobs').set({ status }).where('status', '=', 'queued').where('kind', '=', 'x').execute();
        await t.db
          .updateTable('jobs')
          .set({ kind: `x-${status}` })
          .where('kind', '=', 'x')
          .execute();
      }
      await t.db
        .insertInto('webhook_deliveries')
        .values(
          (['pending', 'pending', 'pending', 'failed', 'delivered', 'gone'] as const).map((status, index) => ({
            workspace_id: workspaceId,
            message_id: `msg-${index}`,
            endpoint_id: crypto.randomUUID(),
            status,
          })),
        )
        .execute();
    }
    const counts = await t.get('/api/queues');
    expect(counts.statusCode).toBe(200);
    expect(counts.json()).toEqual({
      scoreQueue: { pending: 2, oldestQueuedAt: oldest.toISOString() },
      jobs: { queued: 2, running: 1, failed: 1 },
      webhookDeliveries: { pending: 3, failed: 1 },
    });
    await t.db.deleteFrom('score_queue').execute();
    await t.db.deleteFrom('webhook_deliveries').execute();
  });

  it('answers 403 to a write key and 401 without a key', async () => {
    await enqueueJob(t.db, { workspaceId: t.workspaceId, kind: 'a', runAt: t.clock.now });
    for (const request of [
      { method: 'GET' as const, url: '/api/jobs?status=failed' },
      { method: 'POST' as const, url: '/api/jobs/1/retry' },
      { method: 'GET' as const, url: '/api/queues' },
    ]) {
      const forbidden = await t.app.inject({ ...request, headers: { authorization: t.writeAuth } });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json().error.code).toBe('forbidden');
      expect((await t.app.inject(request)).statusCode).toBe(401);
    }
  });
});
