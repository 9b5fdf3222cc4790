import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app.ts';
import { HOUR, handoffDriver } from './handoff-helpers.ts';

// How sales teams qualify, scripted against the API with the default playbook.
const START = Date.parse('2026-05-04T12:00:00Z');
const t = useTestApp(START);
const h = handoffDriver(t);
beforeAll(async () => {
  await h.subscribeAll();
});

async function requestDemo(userId: string, at: number) {
  const response = await t.send('/v1/batch', {
    batch: [
      { type: 'identify', userId, traits: { jobTitle: 'VP Marketing', phone: '+1 555' } },
      { type: 'track', userId, event: 'Demo Requested', timestamp: new Date(at).toISOString() },
    ],
  });
  expect(response.json().errors).toEqual([]);
  const row = await t.db.selectFrom('contacts').select('id').where('user_id', '=', userId).executeTakeFirstOrThrow();
  return (await h.handoffs(row.id))[0];
}

describe('qualification as sales teams practise it', () => {
  it('starts the SLA clock at the demo request itself: stamped 3 h ago, first touch is due in 21 h', async () => {
    t.clock.now = START;
    const handoff = await requestDemo('practice-sla-1', START - 3 * HOUR);
    expect(handoff?.qualified_at.getTime()).toBe(START - 3 * HOUR);
    expect(handoff?.due_at.getTime()).toBe(START + 21 * HOUR);
  });

  it('starts it on receipt when the request arrives after its own deadline (history sent late)', async () => {
    t.clock.now = START;
    const handoff = await requestDemo('practice-sla-2', START - 30 * HOUR);
    expect(handoff?.due_at.getTime()).toBe(START + 24 * HOUR);
  });
});

describe('educational content alone never makes an MQL', () => {
  // Thirty days of everything a keen reader does, for a VP at a mid-size software company.
  function readerEvents(userId: string): object[] {
    const events: object[] = [
      { type: 'identify', userId, traits: { jobTitle: 'VP Marketing', phone: '+1 555', email: `${userId}@acme.io` } },
      {
        type: 'group',
        userId,
        groupId: `${userId}-co`,
        traits: { name: 'Acme', employees: 800, industry: 'Software' },
      },
    ];
    for (let day = 0; day < 30; day++) {
      const at = (hour: number) => new Date(START - (30 - day) * 24 * HOUR + hour * HOUR).toISOString();
      events.push(
        { type: 'page', userId, timestamp: at(1), properties: { path: `/blog/post-${day}`, duration: 300 } },
        { type: 'page', userId, timestamp: at(2), properties: { path: '/features/scoring', duration: 200 } },
        { type: 'page', userId, timestamp: at(3), properties: { path: '/customers/acme' } },
        { type: 'track', userId, timestamp: at(4), event: 'Email Clicked' },
        { type: 'track', userId, timestamp: at(5), event: 'Email Opened' },
        { type: 'track', userId, timestamp: at(6), event: 'Social Engaged' },
        { type: 'track', userId, timestamp: at(7), event: 'Ebook Downloaded' },
        { type: 'track', userId, timestamp: at(8), event: 'Webinar Registered' },
        { type: 'track', userId, timestamp: at(9), event: 'Webinar Attended' },
      );
    }
    return events;
  }

  async function contact(userId: string) {
    return t.db
      .selectFrom('contacts')
      .select(['stage', 'fit', 'engagement'])
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
  }

  it('keeps a strong-fit heavy reader a lead, engagement under the bar of 50', async () => {
    t.clock.now = START;
    const response = await t.send('/v1/batch', { batch: readerEvents('practice-reader-1') });
    expect(response.json().errors).toEqual([]);
    const reader = await contact('practice-reader-1');
    expect(reader.fit).toBeGreaterThanOrEqual(5000); // centi-points
    expect(reader.engagement).toBeGreaterThan(3500);
    expect(reader.engagement).toBeLessThan(5000);
    expect(reader.stage).toBe('lead');
  });

  it('makes the same reader an MQL once they look at pricing', async () => {
    t.clock.now = START;
    await t.send('/v1/batch', { batch: readerEvents('practice-reader-2') });
    expect((await contact('practice-reader-2')).stage).toBe('lead');
    const response = await t.send('/v1/track', {
      userId: 'practice-reader-2',
      event: 'Pricing Viewed',
      timestamp: new Date(START).toISOString(),
    });
    expect(response.statusCode).toBe(200);
    expect((await contact('practice-reader-2')).stage).toBe('mql');
  });
});

describe('the executive nurture track', () => {
  const cases = [
    { jobTitle: 'VP Marketing', track: 'executive-briefings' },
    { jobTitle: 'Head of Growth', track: 'executive-briefings' },
    { jobTitle: 'Chief Revenue Officer', track: 'executive-briefings' },
    { jobTitle: 'Marketing Manager', track: 'general-newsletter' },
  ];
  it.each(cases)('takes a "$jobTitle" recycled as not ready to $track', async ({ jobTitle, track }) => {
    t.clock.now = START;
    const id = await h.handRaiser(`practice-track-${jobTitle}`, { jobTitle });
    const { owner } = await h.contact(id);
    const recycled = await h.act(await h.key('rep', owner), id, 'recycle', { reason: 'not-ready' });
    expect(recycled.statusCode).toBe(200);
    expect(recycled.json()).toMatchObject({ stage: 'recycled', nurtureTrack: track });
  });
});
