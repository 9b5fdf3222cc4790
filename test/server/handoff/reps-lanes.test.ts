import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app.ts';
import { DAY, HOUR, handoffDriver } from './handoff-helpers.ts';

const START = Date.parse('2026-05-04T12:00:00Z');
const t = useTestApp(START);
const h = handoffDriver(t);
beforeAll(async () => {
  await h.subscribeAll();
});

const REPS = ['riley@example.com', 'casey@example.com'];

async function patch(auth: string, contactId: string, body: object) {
  return t.app.inject({
    method: 'PATCH',
    url: `/api/contacts/${contactId}`,
    headers: { authorization: auth },
    payload: body,
  });
}

describe('reps stay in their lane', () => {
  it("a rep cannot take another rep's lead by PATCHing its owner, nor edit it", async () => {
    t.clock.now = START;
    const id = await h.handRaiser('lane-1');
    const owner = (await h.contact(id)).owner ?? '';
    const other = REPS.find((rep) => rep !== owner) ?? '';
    const intruder = await h.key('rep', other);
    const grab = await patch(intruder, id, { owner: other });
    expect(grab.statusCode).toBe(403);
    expect((await patch(intruder, id, { jobTitle: 'Intern' })).statusCode).toBe(403);
    // Even the owner cannot hand the lead on by PATCH: owners change by reassignment.
    const self = await patch(await h.key('rep', owner), id, { owner: other });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.message).toContain('/reassign');
    expect((await h.contact(id)).owner).toBe(owner);
    expect((await patch(await h.key('rep', owner), id, { jobTitle: 'VP Marketing' })).statusCode).toBe(200);
  });

  it('a manager reassigns: the hand-off follows, the history keeps who moved it from whom to whom', async () => {
    t.clock.now = START;
    const id = await h.handRaiser('lane-2');
    const owner = (await h.contact(id)).owner ?? '';
    const other = REPS.find((rep) => rep !== owner) ?? '';
    expect((await h.act(await h.key('rep', owner), id, 'reassign', { owner: other })).statusCode).toBe(403);
    t.clock.now = START + 2 * HOUR;
    const manager = await h.key('manager', 'morgan@example.com');
    const moved = await h.act(manager, id, 'reassign', { owner: other });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ owner: other, stage: 'mql' });
    expect((await h.contact(id)).owner).toBe(other);
    const handoffs = await h.handoffs(id);
    expect(handoffs.map((row) => [row.owner, row.status, row.closed_reason])).toEqual([
      [owner, 'closed', 'reassigned'],
      [other, 'open', null],
    ]);
    expect(handoffs[1]?.due_at.getTime()).toBe(START + 2 * HOUR + 24 * HOUR);
    // The new owner works it: the touch lands on their hand-off.
    const rep = await h.key('rep', other);
    expect((await h.act(rep, id, 'accept')).statusCode).toBe(200);
    expect((await h.act(rep, id, 'touch', { channel: 'email' })).statusCode).toBe(200);
    expect((await h.handoffs(id))[1]).toMatchObject({ owner: other, status: 'touched' });
    const history = await t.db
      .selectFrom('stage_history')
      .select(['transition', 'actor', 'reason'])
      .where('contact_id', '=', id)
      .orderBy('id')
      .execute();
    expect(history[1]).toMatchObject({ transition: 'reassign', actor: 'user:morgan@example.com' });
    expect(history[1]?.reason).toContain(`from ${owner} to ${other}`);
    expect(await h.webhooks(id)).toContain('lead.assigned');
  });

  it('a rep key cannot send events or edit companies', async () => {
    const rep = await h.key('rep', REPS[0]);
    const ingest = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { authorization: rep },
      payload: { userId: 'lane-3', event: 'Demo Requested' },
    });
    expect(ingest.statusCode).toBe(403);
    const company = await t.app.inject({
      method: 'POST',
      url: '/api/companies',
      headers: { authorization: rep },
      payload: { domain: 'lane-example.com', employees: 5000 },
    });
    expect(company.statusCode).toBe(403);
    expect(company.json().error.message).toContain('an admin or manager key');
  });
});

describe('sales actions as the README shows them', () => {
  it('accept and reopen take no body; recycle takes the nurture period from the playbook', async () => {
    t.clock.now = START;
    const id = await h.handRaiser('bare-1');
    const owner = (await h.contact(id)).owner ?? '';
    const rep = await h.key('rep', owner);
    const accept = await t.app.inject({
      method: 'POST',
      url: `/api/contacts/${id}/accept`,
      headers: { authorization: rep },
    });
    expect(accept.statusCode, accept.body).toBe(200);
    const recycle = await h.act(rep, id, 'recycle', { reason: 'not-ready' });
    expect(recycle.statusCode, recycle.body).toBe(200);
    expect((await h.contact(id)).nurture_until?.getTime()).toBe(START + 30 * DAY);
    const reopen = await t.app.inject({
      method: 'POST',
      url: `/api/contacts/${id}/reopen`,
      headers: { authorization: t.secretAuth, 'content-type': 'application/json' },
    });
    expect(reopen.statusCode, reopen.body).not.toBe(400);
  });
});
