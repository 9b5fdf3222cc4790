import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app.ts';
import { DAY, HOUR, handoffDriver } from './handoff-helpers.ts';

const START = Date.parse('2026-05-04T12:00:00Z');
const t = useTestApp(START);
const h = handoffDriver(t);
beforeAll(async () => {
  await h.subscribeAll();
});

describe('hand-off to sales, by the default playbook', () => {
  it('the standard flow: MQL → assigned → touched within 24 h → SQL → opportunity → won', async () => {
    t.clock.now = START;
    const id = await h.handRaiser('flow-standard');
    const assigned = await h.contact(id);
    expect(assigned).toMatchObject({ stage: 'mql', team_id: 'inbound' });
    expect(['riley@example.com', 'casey@example.com']).toContain(assigned.owner);
    const [handoff] = await h.handoffs(id);
    expect(handoff).toMatchObject({ status: 'open', owner: assigned.owner });
    expect(handoff?.due_at.getTime()).toBe(START + 24 * HOUR);
    expect(handoff?.warn_at.getTime()).toBe(START + 18 * HOUR);

    const rep = await h.key('rep', assigned.owner);
    t.clock.now = START + 2 * HOUR;
    expect((await h.act(rep, id, 'accept')).json()).toMatchObject({ from: 'mql', stage: 'sal' });
    expect((await h.act(rep, id, 'touch', { channel: 'call' })).statusCode).toBe(200);
    // BANT piece by piece: what is known is kept, and the lead moves once the rest is known.
    const partial = await h.act(rep, id, 'qualify', { budget: '50k', need: 'routing leads' });
    expect(partial.statusCode).toBe(200);
    expect(partial.json()).toMatchObject({ stage: 'sal', missingQualification: ['authority', 'timeline'] });
    expect((await h.act(rep, id, 'qualify', { authority: 'VP signs' })).json()).toMatchObject({
      stage: 'sal',
      missingQualification: ['timeline'],
    });
    const sql = await h.act(rep, id, 'qualify', { timeline: 'Q3' });
    expect(sql.json()).toMatchObject({ from: 'sal', stage: 'sql' });
    expect((await h.act(rep, id, 'opportunity', { amount: 24000, currency: 'EUR' })).json()).toMatchObject({
      stage: 'opportunity',
    });
    expect((await h.act(rep, id, 'outcome', { outcome: 'won', amount: 24000 })).json()).toMatchObject({
      stage: 'customer',
    });

    expect(await h.sweepAt(START + 25 * HOUR)).toMatchObject({ warned: 0, breached: 0 });
    const [done] = await h.handoffs(id);
    expect(done).toMatchObject({ status: 'touched', touch_channel: 'call', breached_at: null });
    expect(await h.webhooks(id)).toEqual([
      'lead.mql',
      'lead.assigned',
      'lead.accepted',
      'lead.touched',
      'lead.sql',
      'outcome.recorded',
      'outcome.recorded',
    ]);
    const history = await t.db
      .selectFrom('stage_history')
      .select(['to_stage', 'actor'])
      .where('contact_id', '=', id)
      .orderBy('id')
      .execute();
    expect(history.map((row) => row.to_stage)).toEqual(['mql', 'sal', 'sql', 'opportunity', 'customer']);
    expect(history[1]?.actor).toBe(`user:${assigned.owner}`);
  });

  it('breach → warning, breach, manager notified, reassigned, then recycled to nurture', async () => {
    t.clock.now = START;
    const id = await h.handRaiser('flow-breach');
    const first = (await h.contact(id)).owner;
    expect(await h.sweepAt(START + 18 * HOUR - 1000)).toMatchObject({ warned: 0 });
    expect(await h.sweepAt(START + 18 * HOUR)).toMatchObject({ warned: 1, breached: 0 });
    expect(await h.sweepAt(START + 24 * HOUR - 1000)).toMatchObject({ warned: 0, breached: 0 });
    expect(await h.sweepAt(START + 24 * HOUR)).toMatchObject({ breached: 1, escalated: 1 });
    // Sweeping again at the same instant fires nothing twice.
    expect(await h.sweepAt(START + 24 * HOUR)).toEqual({ warned: 0, breached: 0, escalated: 0 });
    expect(await h.sweepAt(START + 28 * HOUR)).toMatchObject({ escalated: 1 });
    const second = await h.contact(id);
    expect(second.owner).not.toBe(first);
    const handoffs = await h.handoffs(id);
    expect(handoffs.map((row) => [row.status, row.closed_reason])).toEqual([
      ['closed', 'reassigned'],
      ['open', null],
    ]);
    expect(handoffs[1]?.due_at.getTime()).toBe(START + 52 * HOUR);
    // The new owner misses the SLA too: the ladder continues at its last step, recycle after 2 days.
    // (No sweep ran between the warning instant and the deadline, so no warning: a late one helps nobody.)
    expect(await h.sweepAt(START + 52 * HOUR)).toMatchObject({ breached: 1, escalated: 0 });
    expect(await h.sweepAt(START + 52 * HOUR + 2 * DAY)).toMatchObject({ escalated: 1 });
    expect(await h.contact(id)).toMatchObject({ stage: 'recycled', nurture_track: 'reactivation' });
    expect(await h.webhooks(id)).toEqual([
      'lead.mql',
      'lead.assigned',
      'sla.warning',
      'sla.breached',
      'sla.escalated',
      'lead.assigned',
      'sla.escalated',
      // The sweep at the second deadline comes after the warning instant too: no late warning.
      'sla.breached',
      'lead.recycled',
      'lead.nurture',
      'sla.escalated',
    ]);
  });

  it('"not ready" → recycled with a nurture track → re-MQL weeks later, counted', async () => {
    t.clock.now = START;
    const id = await h.handRaiser('flow-recycle', { seniority: 'executive', jobTitle: 'CMO' });
    const { owner } = await h.contact(id);
    const rep = await h.key('rep', owner);
    const badReason = await h.act(rep, id, 'recycle', {
      reason: 'later',
      nurtureUntil: new Date(START + 30 * DAY).toISOString(),
    });
    expect(badReason.statusCode).toBe(422);
    expect(badReason.json().error.message).toContain('`not-ready`');
    const recycled = await h.act(rep, id, 'recycle', {
      reason: 'not-ready',
      nurtureUntil: new Date(START + 30 * DAY).toISOString(),
    });
    expect(recycled.json()).toMatchObject({ stage: 'recycled', nurtureTrack: 'executive-briefings' });
    expect((await h.handoffs(id))[0]).toMatchObject({ status: 'closed', closed_reason: 'recycled' });

    t.clock.now = START + 40 * DAY;
    await h.handRaiser('flow-recycle', { seniority: 'executive', jobTitle: 'CMO' });
    expect(await h.contact(id)).toMatchObject({ stage: 'mql', re_mql_count: 1 });
    expect((await h.handoffs(id)).map((row) => row.status)).toEqual(['closed', 'open']);
    expect(await h.webhooks(id)).toEqual([
      'lead.mql',
      'lead.assigned',
      'lead.recycled',
      'lead.nurture',
      'lead.mql',
      'lead.assigned',
    ]);
  });

  it('disqualify needs a listed reason; a disqualified lead moves only once an admin reopens it', async () => {
    t.clock.now = START;
    const id = await h.handRaiser('flow-disqualify');
    const manager = await h.key('manager', 'morgan@example.com');
    const admin = await h.key('admin');
    const refused = await h.act(manager, id, 'disqualify', { reason: 'rude' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details.allowed).toContain('competitor');
    expect((await h.act(manager, id, 'disqualify', { reason: 'competitor' })).json()).toMatchObject({
      stage: 'disqualified',
    });
    const accept = await h.act(manager, id, 'accept');
    expect(accept.statusCode).toBe(409);
    expect(accept.json().error.code).toBe('illegal_transition');
    expect((await h.act(manager, id, 'reopen')).statusCode).toBe(403);
    expect((await h.act(admin, id, 'reopen')).json()).toMatchObject({ from: 'disqualified', stage: 'lead' });
  });

  it('reps act only on their own leads; a write key acts on none', async () => {
    t.clock.now = START;
    const id = await h.handRaiser('flow-roles');
    const { owner } = await h.contact(id);
    const other = owner === 'riley@example.com' ? 'casey@example.com' : 'riley@example.com';
    const stranger = await h.act(await h.key('rep', other), id, 'accept');
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json().error.message).toContain('a rep may act only on leads they own');
    const asWriter = await h.act(t.writeAuth, id, 'accept');
    expect(asWriter.statusCode).toBe(403);
    const unnamed = await h.act(await h.key('rep'), id, 'accept');
    expect(unnamed.statusCode).toBe(403);
    const publish = await t.app.inject({
      method: 'POST',
      url: '/api/playbook/publish',
      headers: { authorization: await h.key('rep', owner) },
      payload: { source: 'name: x' },
    });
    expect(publish.statusCode).toBe(403);
    expect(publish.json().error.message).toContain('needs an admin key');
  });

  it('MQLs nobody accepts within 14 days go back to nurture by rule', async () => {
    t.clock.now = START;
    const id = await h.handRaiser('flow-expiry');
    const { expireMqls } = await import('../../../src/server/handoff/expire-mqls.ts');
    const deps = { db: t.db, playbooks: t.playbooks };
    expect(await expireMqls(deps, t.workspaceId, START + 14 * DAY - 1000)).toBe(0);
    expect(await expireMqls(deps, t.workspaceId, START + 14 * DAY)).toBeGreaterThanOrEqual(1);
    expect(await h.contact(id)).toMatchObject({ stage: 'recycled', nurture_track: 'reactivation' });
    const history = await t.db
      .selectFrom('stage_history')
      .select(['actor', 'reason'])
      .where('contact_id', '=', id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(history).toEqual({ actor: 'rule:mql-expiry', reason: 'expired' });
  });

  it('routing skips a rep marked away until they are back; a rep sees only their own inbox', async () => {
    t.clock.now = START + 100 * DAY;
    const riley = await h.key('rep', 'riley@example.com');
    const away = await t.app.inject({
      method: 'PUT',
      url: '/api/reps/riley@example.com/availability',
      headers: { authorization: riley },
      payload: { available: false, until: new Date(START + 101 * DAY).toISOString() },
    });
    expect(away.statusCode).toBe(200);
    const notMine = await t.app.inject({
      method: 'PUT',
      url: '/api/reps/casey@example.com/availability',
      headers: { authorization: riley },
      payload: { available: false },
    });
    expect(notMine.statusCode).toBe(403);
    const owners: Array<string | null> = [];
    for (let i = 0; i < 4; i++) owners.push((await h.contact(await h.handRaiser(`away-${i}`))).owner);
    expect(owners).toEqual(Array(4).fill('casey@example.com'));

    t.clock.now = START + 101 * DAY;
    const back: Array<string | null> = [];
    for (let i = 0; i < 3; i++) back.push((await h.contact(await h.handRaiser(`back-${i}`))).owner);
    expect(back).toContain('riley@example.com');

    const inbox = await t.app.inject({
      method: 'GET',
      url: '/api/handoffs?status=open',
      headers: { authorization: riley },
    });
    expect(inbox.statusCode).toBe(200);
    const items = inbox.json().items as Array<{ owner: string }>;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.owner === 'riley@example.com')).toBe(true);
  });
});
