import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyRotation, pickRep, type RotationState } from '../../../src/core/handoff/pick-rep.ts';
import { resolveHandoff } from '../../../src/core/handoff/resolve-handoff.ts';
import { nextRepAfter } from '../../../src/core/handoff/route-lead.ts';
import { parsePlaybook } from '../../../src/core/playbook/parse-playbook.ts';
import { DEFAULT_PLAYBOOK_PATH } from '../../../src/server/bootstrap-workspace.ts';
import { sweepSla } from '../../../src/server/handoff/sweep-sla.ts';
import { createPlaybookStore } from '../../../src/server/playbooks/playbook-store.ts';
import { useTestApp } from '../helpers/test-app.ts';
import { CONCURRENCY } from '../helpers/test-database.ts';
import { handoffDriver } from './handoff-helpers.ts';

/** The default playbook with a 4-hour first-touch SLA in Berlin business hours, and Easter Monday off. */
function businessHoursPlaybook(): string {
  return readFileSync(DEFAULT_PLAYBOOK_PATH, 'utf8').replace(
    '    firstTouchWithin: 24h           # after the qualifying action\n',
    [
      '    firstTouchWithin: 4h',
      '    businessHours: { timeZone: Europe/Berlin, days: [1, 2, 3, 4, 5], opens: "09:00", closes: "17:00", holidays: [2026-04-06] }',
      '',
    ].join('\n'),
  );
}

const t = useTestApp(Date.parse('2026-03-27T15:00:00+01:00'));
const h = handoffDriver(t);
beforeAll(async () => {
  await h.subscribeAll();
  const published = await t.app.inject({
    method: 'POST',
    url: '/api/playbook/publish',
    headers: { authorization: t.secretAuth },
    payload: { source: businessHoursPlaybook() },
  });
  expect(published.statusCode).toBe(202);
  await t.scoring.drain();
});

function parsePlaybookOrThrow() {
  const parsed = parsePlaybook(businessHoursPlaybook());
  if (!parsed.ok) throw new Error('playbook does not parse');
  return parsed.value;
}

describe('the SLA clock in business hours', () => {
  it.each([
    // [qualified at (local), due at]
    ['Friday 15:00 CET, before the DST weekend', '2026-03-27T15:00:00+01:00', '2026-03-30T11:00:00+02:00'],
    ['Saturday: the clock starts Monday 09:00', '2026-03-28T10:00:00+01:00', '2026-03-30T13:00:00+02:00'],
    ['Friday 16:59:59: 1 s on Friday, the rest on Monday', '2026-03-27T16:59:59+01:00', '2026-03-30T12:59:59+02:00'],
    ['Thursday 17:00:01, after closing: due Friday 13:00', '2026-04-02T17:00:01+02:00', '2026-04-03T13:00:00+02:00'],
    ['Friday before Easter Monday (a holiday): due Tuesday', '2026-04-03T15:00:00+02:00', '2026-04-07T11:00:00+02:00'],
    ['across the October DST change', '2026-10-23T16:00:00+02:00', '2026-10-26T12:00:00+01:00'],
  ])('%s', async (_name, qualifiedAt, dueAt) => {
    t.clock.now = Date.parse(qualifiedAt);
    const id = await h.handRaiser(`bh-${qualifiedAt}`);
    const [handoff] = await h.handoffs(id);
    expect(handoff?.due_at.toISOString()).toBe(new Date(dueAt).toISOString());
  });

  it('warns at 75% of the business window and breaches exactly at the deadline, not a second before', async () => {
    t.clock.now = Date.parse('2026-03-27T16:00:00+01:00');
    const id = await h.handRaiser('bh-boundaries');
    // 4 business hours from Friday 16:00: 1 h Friday, 3 h Monday → due Monday 12:00, warn at 3 h → Monday 11:00.
    const [handoff] = await h.handoffs(id);
    expect(handoff?.warn_at.toISOString()).toBe(new Date('2026-03-30T11:00:00+02:00').toISOString());
    const due = Date.parse('2026-03-30T12:00:00+02:00');
    await h.sweepAt(due - 1000);
    expect((await h.handoffs(id))[0]?.breached_at).toBeNull();
    await h.sweepAt(due);
    expect((await h.handoffs(id))[0]?.breached_at?.getTime()).toBe(due);
  });
});

describe(`two server processes sweeping at once, ${CONCURRENCY}`, () => {
  it('never warn, breach or escalate the same hand-off twice', async () => {
    const at = Date.parse('2026-06-01T10:00:00+02:00');
    t.clock.now = at;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await h.handRaiser(`race-${i}`));
    const race = async (now: number) => {
      t.clock.now = now;
      const open = await t.db
        .selectFrom('handoffs')
        .select(['warned_at', 'breached_at', 'warn_at', 'due_at'])
        .where('status', '=', 'open')
        .execute();
      const toWarn = open.filter(
        (row) => row.warned_at === null && row.warn_at.getTime() <= now && row.due_at.getTime() > now,
      ).length;
      const toBreach = open.filter((row) => row.breached_at === null && row.due_at.getTime() <= now).length;
      // Two processes: separate playbook caches, sweeping the same instant, in small batches.
      const results = await Promise.all(
        [createPlaybookStore(t.db), createPlaybookStore(t.db)].map((playbooks) =>
          sweepSla({ db: t.db, playbooks }, t.workspaceId, now, 3),
        ),
      );
      expect(results.reduce((sum, result) => sum + result.warned, 0)).toBe(toWarn);
      expect(results.reduce((sum, result) => sum + result.breached, 0)).toBe(toBreach);
      expect(await sweepSla({ db: t.db, playbooks: t.playbooks }, t.workspaceId, now)).toEqual({
        warned: 0,
        breached: 0,
        escalated: 0,
      });
    };
    // Business hours: qualified Monday 10:00, 4 h window → warn at 13:00, due at 14:00.
    await race(Date.parse('2026-06-01T13:30:00+02:00'));
    await race(Date.parse('2026-06-01T14:00:00+02:00'));
    for (const id of ids) {
      const types = await h.webhooks(id);
      expect(types.filter((type) => type === 'sla.warning')).toHaveLength(1);
      expect(types.filter((type) => type === 'sla.breached')).toHaveLength(1);
      expect(types.filter((type) => type === 'sla.escalated')).toHaveLength(1);
    }
  });
});

describe(`routing under concurrency, ${CONCURRENCY}`, () => {
  it('leads qualifying at once get exactly the owners the rotation would give one by one', async () => {
    t.clock.now = Date.parse('2026-07-01T10:00:00+02:00');
    const before = await t.db
      .selectFrom('routing_rotations')
      .select('state')
      .where('team_id', '=', 'inbound')
      .executeTakeFirst();
    const team = resolveHandoff(parsePlaybookOrThrow()).routing?.teams.find((candidate) => candidate.id === 'inbound');
    if (!team) throw new Error('no inbound team');
    let state = (before?.state as RotationState | undefined) ?? emptyRotation;
    const expected: string[] = [];
    for (let i = 0; i < 12; i++) {
      const pick = pickRep(team, state, new Set());
      if (!pick) throw new Error('no pick');
      expected.push(pick.owner);
      state = pick.rotation;
    }
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => h.handRaiser(`rr-${i}`)));
    const owners = await Promise.all(ids.map(async (id) => (await h.contact(id)).owner ?? ''));
    expect(owners.sort()).toEqual(expected.sort());
    const after = await t.db
      .selectFrom('routing_rotations')
      .select('state')
      .where('team_id', '=', 'inbound')
      .executeTakeFirstOrThrow();
    expect(after.state).toEqual(state);
  });
});

describe('SLA catch-up after an outage', () => {
  const c = useTestApp(Date.parse('2026-07-06T09:00:00+02:00'));
  const d = handoffDriver(c);
  beforeAll(async () => {
    await d.subscribeAll();
  });

  it('a catch-up sweep reassigns breached leads in one batch exactly as the rotation would one by one', async () => {
    // Eight hand-raisers a minute apart on Monday morning; nobody sweeps until Tuesday 14:00, when
    // every breach, manager notice and reassignment (4 h after the deadline) is due at once.
    const monday = Date.parse('2026-07-06T09:00:00+02:00');
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      c.clock.now = monday + i * 60_000;
      ids.push(await d.handRaiser(`catch-up-${i}`));
    }
    const parsed = parsePlaybook(readFileSync(DEFAULT_PLAYBOOK_PATH, 'utf8'));
    if (!parsed.ok) throw new Error('default playbook does not parse');
    const routing = resolveHandoff(parsed.value).routing;
    if (!routing) throw new Error('no routing');
    const rotationOf = async (teamId: string) =>
      (
        await c.db
          .selectFrom('routing_rotations')
          .select('state')
          .where('workspace_id', '=', c.workspaceId)
          .where('team_id', '=', teamId)
          .executeTakeFirst()
      )?.state as RotationState | undefined;
    const before = await Promise.all(ids.map((id) => d.contact(id)));
    const states: Record<string, RotationState | undefined> = {};
    const expected: string[] = [];
    for (const lead of before) {
      const teamId = lead.team_id ?? '';
      if (!(teamId in states)) states[teamId] = await rotationOf(teamId);
      const next = nextRepAfter(routing, teamId, lead.owner ?? '', states[teamId], new Set());
      if (!next.ok) throw new Error(next.error.message);
      expected.push(next.value.owner);
      states[teamId] = next.value.rotation;
    }

    const swept = await d.sweepAt(Date.parse('2026-07-07T14:00:00+02:00'));
    expect(swept).toEqual({ warned: 0, breached: 8, escalated: 16 });
    const after = await Promise.all(ids.map((id) => d.contact(id)));
    expect(after.map((lead) => lead.owner)).toEqual(expected);
    for (const [teamId, state] of Object.entries(states)) expect(await rotationOf(teamId)).toEqual(state);
    for (const id of ids) {
      const handoffs = await d.handoffs(id);
      expect(handoffs.map((row) => [row.status, row.closed_reason, row.escalation_step])).toEqual([
        ['closed', 'reassigned', 2],
        ['open', null, 2],
      ]);
      expect((await d.webhooks(id)).filter((type) => type.startsWith('sla.') || type === 'lead.assigned')).toEqual([
        'lead.assigned',
        'sla.breached',
        'sla.escalated',
        'lead.assigned',
        'sla.escalated',
      ]);
    }
  });
});
