import { beforeAll, describe, expect, it } from 'vitest';
import { refreshTemperatures } from '../../../src/server/scoring/refresh-temperatures.ts';
import { useTestApp } from '../helpers/test-app.ts';
import { DAY, HOUR, handoffDriver } from './handoff-helpers.ts';

const START = Date.parse('2026-05-04T12:00:00Z');
const t = useTestApp(START);
const h = handoffDriver(t);
beforeAll(async () => {
  await h.subscribeAll();
});

describe('the recurring schedule runs the hand-off sweeps', () => {
  it('the job runner breaches an untouched MQL once its deadline has passed, and only then', async () => {
    const id = await h.handRaiser('jobs-breach');
    t.clock.now = START + 24 * HOUR - 60_000;
    await t.jobs.drain();
    expect((await h.handoffs(id))[0]).toMatchObject({ breached_at: null });
    t.clock.now = START + 24 * HOUR + 60_000;
    await t.jobs.drain();
    expect((await h.handoffs(id))[0]?.breached_at).not.toBeNull();
    const runs = await t.db.selectFrom('jobs').select(['kind', 'status']).where('kind', '=', 'sla-sweep').execute();
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.every((run) => run.status === 'done')).toBe(true);
  });

  it('decay cools an untouched lead: the hourly refresh rescores it at the new time', async () => {
    t.clock.now = START;
    await t.send('/v1/batch', {
      batch: [
        { type: 'track', userId: 'jobs-cool', messageId: 'cool-1', event: 'Webinar Attended' },
        { type: 'track', userId: 'jobs-cool', messageId: 'cool-2', event: 'Ebook Downloaded' },
        { type: 'track', userId: 'jobs-cool', messageId: 'cool-3', event: 'Email Clicked' },
      ],
    });
    const before = await t.db
      .selectFrom('contacts')
      .select(['id', 'engagement'])
      .where('user_id', '=', 'jobs-cool')
      .executeTakeFirstOrThrow();
    expect(before.engagement).toBeGreaterThan(0);
    const deps = { db: t.db, playbooks: t.playbooks };
    // Scored moments ago: nothing to refresh yet.
    expect(await refreshTemperatures(deps, t.workspaceId, START + 30 * 60_000)).toBe(0);
    const refreshed = await refreshTemperatures(deps, t.workspaceId, START + 60 * DAY);
    expect(refreshed).toBeGreaterThanOrEqual(1);
    const after = await t.db
      .selectFrom('contacts')
      .select(['engagement', 'scored_at'])
      .where('id', '=', before.id)
      .executeTakeFirstOrThrow();
    // Default half-life 30 days: two half-lives later, a quarter is left (to the centi-point).
    expect(after.engagement).toBeLessThan(before.engagement / 2);
    expect(after.engagement).toBeGreaterThan(0);
    expect(after.scored_at?.getTime()).toBe(START + 60 * DAY);
  });
});
