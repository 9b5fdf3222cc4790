import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BacktestRun } from '../../../src/core/backtest/backtest-run.ts';
import { createBacktestRuns, KEEP_FINISHED_MS } from '../../../src/server/backtest/backtest-runs.ts';
import { runBacktest } from '../../../src/server/backtest/run-backtest.ts';
import { createApiKey } from '../../../src/server/workspaces/api-keys.ts';
import { useTestApp } from '../helpers/test-app.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { LOWER_BAR, PERIOD, PUBLISHED, seedBacktestHistory } from './backtest-history.ts';

const t = useTestApp();
/** A second workspace with no playbook published, and its admin key. */
let other = { workspaceId: '', auth: '' };

beforeAll(async () => {
  await seedBacktestHistory(t);
  const workspace = await t.db
    .insertInto('workspaces')
    .values({ name: 'Other' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { key } = await createApiKey(t.db, workspace.id, 'secret', 'other admin');
  other = { workspaceId: workspace.id, auth: `Bearer ${key}` };
});

async function start(body: object, authorization = t.secretAuth) {
  return t.app.inject({ method: 'POST', url: '/api/backtest/runs', headers: { authorization }, payload: body });
}

async function read(id: string, authorization = t.secretAuth) {
  return t.app.inject({ method: 'GET', url: `/api/backtest/runs/${id}`, headers: { authorization } });
}

async function cancel(id: string, authorization = t.secretAuth) {
  return t.app.inject({ method: 'DELETE', url: `/api/backtest/runs/${id}`, headers: { authorization } });
}

/** Polls the run as the web app does until it is no longer running. */
async function settled(id: string): Promise<BacktestRun> {
  const run = await waitFor(
    async () => (await read(id)).json() as BacktestRun,
    (run) => run.status !== 'running',
  );
  expect(run.status).not.toBe('running');
  return run;
}

/**
 * Runs `during` while another transaction holds the contacts table: a run started then waits at
 * its first read, so it is surely still running. What the requests themselves read (the key,
 * the published playbook) is cached first, so that they do not wait too (on PGlite's one
 * connection they would wait for the transaction, which waits for them).
 */
async function whileContactsLocked<T>(during: () => Promise<T>): Promise<T> {
  expect((await read('warm-up')).statusCode).toBe(404);
  await t.playbooks.active(t.workspaceId);
  return t.db.transaction().execute(async (trx) => {
    await sql`lock table contacts in access exclusive mode`.execute(trx);
    return during();
  });
}

describe('POST /api/backtest/runs', () => {
  it('answers 202 at once, and once done the run holds the same report as POST /api/backtest', async () => {
    const body = { draft: LOWER_BAR, ...PERIOD, limit: 2 };
    const started = await start(body);
    expect(started.statusCode).toBe(202);
    const run = started.json() as BacktestRun;
    expect(run).toMatchObject({ status: 'running', startedAt: new Date(t.clock.now).toISOString() });
    expect(run.report).toBeUndefined();
    const finished = await settled(run.id);
    const sync = await t.app.inject({
      method: 'POST',
      url: '/api/backtest',
      headers: { authorization: t.secretAuth },
      payload: body,
    });
    expect(finished).toEqual({
      id: run.id,
      status: 'done',
      done: 9,
      total: 9,
      startedAt: run.startedAt,
      finishedAt: new Date(t.clock.now).toISOString(),
      report: sync.json(),
    });
    expect(finished.report?.changed.items).toHaveLength(2);
  });

  it('runs one backtest at a time per workspace: a second start answers 409 with the running one', async () => {
    const [first, second] = await whileContactsLocked(async () => {
      const first = await start({ draft: LOWER_BAR, ...PERIOD });
      const second = await start({ draft: PUBLISHED, ...PERIOD });
      return [first, second];
    });
    expect(first.statusCode).toBe(202);
    const { id } = first.json() as BacktestRun;
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toEqual({
      code: 'backtest_running',
      message: `a backtest is already running in this workspace (run ${id}): follow it at GET /api/backtest/runs/${id}, or cancel it first`,
      details: { id },
    });
    expect((await settled(id)).status).toBe('done');
    // Once it is done, the next one starts.
    const next = await start({ draft: PUBLISHED, ...PERIOD });
    expect(next.statusCode).toBe(202);
    await settled(next.json().id);
  });

  it('answers a draft that does not validate with 400 and its issues, as the synchronous route does', async () => {
    const broken = PUBLISHED.replace('grades: { A: 70, B: 50, C: 30 }', 'grades: { A: 70, B: lots, C: 30 }');
    const response = await start({ draft: broken, ...PERIOD });
    const sync = await t.app.inject({
      method: 'POST',
      url: '/api/backtest',
      headers: { authorization: t.secretAuth },
      payload: { draft: broken, ...PERIOD },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(sync.json());
    expect(response.json().error.code).toBe('invalid_playbook');
  });

  it.each([
    [{ from: '2 March', to: '2026-04-27' }, 'invalid_date'],
    [{ from: '2026-04-27', to: '2026-03-02' }, 'empty_period'],
    [{ from: '2020-01-01', to: '2026-04-27' }, 'period_too_long'],
  ])('refuses the period %o with 400 %s before starting anything', async (period, code) => {
    const response = await start({ draft: LOWER_BAR, ...period });
    expect([response.statusCode, response.json().error.code]).toEqual([400, code]);
  });

  it('answers 404 in a workspace with no playbook published', async () => {
    const response = await start({ draft: LOWER_BAR, ...PERIOD }, other.auth);
    expect([response.statusCode, response.json().error.code]).toEqual([404, 'no_playbook']);
  });

  it('is for who may publish playbooks: a rep key is refused, to start and to read', async () => {
    const { key } = await createApiKey(t.db, t.workspaceId, 'secret', 'rep', {
      role: 'rep',
      userId: 'rep@example.com',
    });
    const rep = `Bearer ${key}`;
    expect((await start({ draft: LOWER_BAR, ...PERIOD }, rep)).statusCode).toBe(403);
    const started = await start({ draft: LOWER_BAR, ...PERIOD });
    const { id } = started.json() as BacktestRun;
    expect((await read(id, rep)).statusCode).toBe(403);
    expect((await cancel(id, rep)).statusCode).toBe(403);
    await settled(id);
  });
});

describe('GET and DELETE /api/backtest/runs/{id}', () => {
  it('answers 404 for an unknown id and for a run of another workspace, to read and to cancel', async () => {
    const started = await start({ draft: LOWER_BAR, ...PERIOD });
    const { id } = started.json() as BacktestRun;
    await settled(id);
    for (const [run, authorization] of [
      [id, other.auth],
      ['5d1f0a52-8d4c-4d59-9a39-9f8e0e0c1c11', t.secretAuth],
      ['not-an-id', t.secretAuth],
    ] as const) {
      const [got, cancelled] = [await read(run, authorization), await cancel(run, authorization)];
      expect([got.statusCode, cancelled.statusCode]).toEqual([404, 404]);
      expect(got.json().error).toEqual({
        code: 'not_found',
        message: `no backtest run ${run} in this workspace: runs are kept for an hour after they finish`,
      });
    }
    expect((await read(id)).json().status).toBe('done');
  });

  it('cancels a running run: it stays cancelled, without a report, and cancelling again changes nothing', async () => {
    const [started, cancelled] = await whileContactsLocked(async () => {
      const started = await start({ draft: LOWER_BAR, ...PERIOD });
      return [started.json() as BacktestRun, await cancel(started.json().id)];
    });
    expect(cancelled.statusCode).toBe(200);
    const expected = {
      id: started.id,
      status: 'cancelled',
      startedAt: started.startedAt,
      finishedAt: started.startedAt,
    };
    expect(cancelled.json()).toMatchObject(expected);
    expect(cancelled.json().report).toBeUndefined();
    // Once the lock is gone its replay reads a page, sees the cancellation and stops.
    const again = await cancel(started.id);
    expect(again.json()).toMatchObject(expected);
    expect((await read(started.id)).json()).toEqual(again.json());
  });

  it('leaves a finished run alone when asked to cancel it', async () => {
    const { id } = (await start({ draft: LOWER_BAR, ...PERIOD })).json() as BacktestRun;
    const done = await settled(id);
    const response = await cancel(id);
    expect([response.statusCode, response.json()]).toEqual([200, done]);
  });

  it('keeps a finished run for an hour after it finished, then forgets it', async () => {
    const { id } = (await start({ draft: LOWER_BAR, ...PERIOD })).json() as BacktestRun;
    await settled(id);
    const finishedAt = t.clock.now;
    try {
      t.clock.now = finishedAt + KEEP_FINISHED_MS - 1;
      expect((await read(id)).statusCode).toBe(200);
      t.clock.now = finishedAt + KEEP_FINISHED_MS;
      expect((await read(id)).statusCode).toBe(404);
    } finally {
      t.clock.now = finishedAt;
    }
  });
});

describe('backtest runs in the background', () => {
  const logged: Array<{ details: object; message: string }> = [];
  const createRuns = () =>
    createBacktestRuns({
      db: t.db,
      playbooks: t.playbooks,
      clock: () => t.clock.now,
      log: { error: (details, message) => logged.push({ details, message }) },
    });

  it('stops between pages once the signal is aborted', async () => {
    const stop = new AbortController();
    const seen: number[] = [];
    const deps = { db: t.db, playbooks: t.playbooks, clock: () => t.clock.now };
    const onProgress = ({ done }: { done: number }) => {
      seen.push(done);
      if (done === 2) stop.abort();
    };
    const replay = runBacktest(
      deps,
      t.workspaceId,
      { draft: LOWER_BAR, ...PERIOD },
      {
        pageSize: 2,
        onProgress,
        signal: stop.signal,
      },
    );
    await expect(replay).rejects.toThrow(/aborted/);
    expect(seen).toEqual([0, 2]);
  });

  it('keeps a failing run as failed with a message to act on, and logs the cause without contact data', async () => {
    const runs = createRuns();
    await sql`alter table outcomes rename to outcomes_hidden`.execute(t.db);
    try {
      const started = await runs.start(t.workspaceId, { draft: LOWER_BAR, ...PERIOD });
      if (!started.ok) throw new Error(started.error.message);
      const run = await waitFor(
        async () => runs.find(t.workspaceId, started.value.id),
        (run) => run?.status !== 'running',
      );
      expect(run).toMatchObject({ status: 'failed', error: expect.stringContaining('start it again') });
      expect(run?.report).toBeUndefined();
      expect(logged).toEqual([
        {
          message: 'backtest run failed',
          details: {
            backtestRun: started.value.id,
            workspaceId: t.workspaceId,
            err: { message: expect.stringContaining('outcomes') },
          },
        },
      ]);
    } finally {
      await sql`alter table outcomes_hidden rename to outcomes`.execute(t.db);
    }
  });

  it('cancels running runs when closed, and waits until they have stopped', async () => {
    const runs = createRuns();
    const [id, closing] = await whileContactsLocked(async () => {
      const started = await runs.start(t.workspaceId, { draft: LOWER_BAR, ...PERIOD });
      if (!started.ok) throw new Error(started.error.message);
      return [started.value.id, runs.close()] as const;
    });
    await closing;
    expect(runs.find(t.workspaceId, id)).toMatchObject({ status: 'cancelled' });
  });
});
