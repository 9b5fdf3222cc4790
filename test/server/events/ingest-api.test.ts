import { describe, expect, it } from 'vitest';
import { HOUR } from '../../helpers/time.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

const iso = (ms: number) => new Date(ms).toISOString();

async function contactByUser(userId: string) {
  const row = await t.db.selectFrom('contacts').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!row) throw new Error(`no contact ${userId}`);
  return row;
}

describe('Segment-compatible ingestion', () => {
  it('acknowledges a track call after storing it, and creates the contact', async () => {
    const response = await t.send('/v1/track', {
      userId: 'u-track',
      messageId: 'm-track-1',
      event: 'Email Opened',
      timestamp: iso(t.clock.now - HOUR),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ success: true, accepted: 1, duplicates: 0 });
    const contact = await contactByUser('u-track');
    const events = await t.db
      .selectFrom('events')
      .select(['message_id', 'occurred_at'])
      .where('contact_id', '=', contact.id)
      .execute();
    expect(events.map((e) => e.message_id)).toEqual(['m-track-1']);
    expect(events[0]?.occurred_at.getTime()).toBe(t.clock.now - HOUR);
  });

  it('ignores a message id it has seen, in the same batch and across requests', async () => {
    const message = { type: 'track', userId: 'u-dup', messageId: 'm-dup', event: 'Email Clicked' };
    const first = await t.send('/v1/batch', { batch: [message, message] });
    const second = await t.send('/v1/track', message);
    expect(first.json()).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(second.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    const count = await t.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('message_id', '=', 'm-dup')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('reports per-item errors in a batch and keeps invalid items in quarantine', async () => {
    const response = await t.send('/v1/batch', {
      batch: [
        { type: 'track', userId: 'u-batch', messageId: 'm-ok', event: 'Webinar Registered' },
        { type: 'track', userId: 'u-batch', messageId: 'm-no-event' },
        { type: 'teleport', userId: 'u-batch', messageId: 'm-bad-type' },
        { type: 'page', messageId: 'm-nobody' },
        { type: 'identify', userId: 'u-batch', messageId: 'm-bad-time', timestamp: 'yesterday' },
      ],
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.accepted).toBe(1);
    expect(body.errors.map((e: { index: number }) => e.index)).toEqual([1, 2, 3, 4]);
    expect(body.errors[1].message).toContain('`type` must be one of track, identify, page, group');
    expect(body.errors[2].message).toContain('`userId` or `anonymousId`');
    expect(body.errors[3].message).toContain('ISO-8601');
    const quarantined = await t.db.selectFrom('quarantine').select(['reason', 'payload']).execute();
    const ids = quarantined.map((row) => (row.payload as { messageId?: string }).messageId);
    expect(ids).toEqual(expect.arrayContaining(['m-no-event', 'm-bad-type', 'm-nobody', 'm-bad-time']));
  });

  it('stores event and receipt times exactly to the millisecond, and refuses event times before 1900', async () => {
    const times = [Date.UTC(1900, 0, 1), Date.UTC(1969, 11, 31, 23, 59, 59, 999), t.clock.now - 1234];
    const response = await t.send('/v1/batch', {
      batch: [
        ...times.map((time, index) => ({
          type: 'track',
          userId: 'u-times',
          messageId: `m-time-${index}`,
          event: 'Email Opened',
          timestamp: iso(time),
        })),
        {
          type: 'track',
          userId: 'u-times',
          messageId: 'm-year-one',
          event: 'Email Opened',
          timestamp: '0001-01-01T00:00:00Z',
        },
      ],
    });
    expect(response.json()).toMatchObject({ accepted: 3 });
    expect(response.json().errors).toEqual([
      expect.objectContaining({ index: 3, message: expect.stringContaining('must be in 1900 or later') }),
    ]);
    const events = await t.db
      .selectFrom('events')
      .select(['message_id', 'occurred_at', 'received_at'])
      .where('message_id', 'like', 'm-time-%')
      .orderBy('message_id')
      .execute();
    expect(events.map((e) => e.occurred_at.getTime())).toEqual(times);
    expect(events.map((e) => e.received_at.getTime())).toEqual(times.map(() => t.clock.now));
  });

  it('rejects a single invalid event with 400 in the one error shape', async () => {
    const response = await t.send('/v1/track', { userId: 'u-x', messageId: 'm-x' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_message');
    expect(response.json().error.message).toContain('event');
  });

  it('enforces the 32 KB event and 500 KB batch limits with errors naming the limit', async () => {
    const big = { userId: 'u-big', event: 'Big', properties: { blob: 'x'.repeat(33 * 1024) } };
    const single = await t.send('/v1/track', big);
    expect(single.statusCode).toBe(413);
    expect(single.json().error.message).toContain('32 KB');
    const inBatch = await t.send('/v1/batch', { batch: [{ ...big, type: 'track', messageId: 'm-big' }] });
    expect(inBatch.json().errors[0]).toMatchObject({ code: 'event_too_large' });
    const huge = await t.send('/v1/batch', {
      batch: Array.from({ length: 20 }, (_, i) => ({ ...big, type: 'track', messageId: `m-huge-${i}` })),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.message).toContain('500 KB');
  });

  it('lets a write key write events only, and refuses unknown keys', async () => {
    const asWriter = await t.app.inject({
      method: 'GET',
      url: '/api/contacts',
      headers: { authorization: t.writeAuth },
    });
    expect(asWriter.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'POST', url: '/v1/track', payload: { userId: 'u', event: 'E' } });
    expect(anonymous.statusCode).toBe(401);
    const wrong = await t.app.inject({
      method: 'GET',
      url: '/api/contacts',
      headers: { authorization: 'Bearer rk_secret_nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_key');
  });
});

describe('anonymous visitors', () => {
  it('keeps anonymous page views and credits them to the contact on identify', async () => {
    const at = t.clock.now - 2 * HOUR;
    for (let i = 0; i < 3; i++) {
      const response = await t.send('/v1/page', {
        anonymousId: 'anon-1',
        messageId: `m-anon-${i}`,
        timestamp: iso(at + i),
        properties: { path: '/pricing' },
      });
      expect(response.statusCode).toBe(200);
    }
    const unattributed = await t.db
      .selectFrom('events')
      .select('contact_id')
      .where('anonymous_id', '=', 'anon-1')
      .execute();
    expect(unattributed.every((row) => row.contact_id === null)).toBe(true);

    await t.send('/v1/identify', {
      anonymousId: 'anon-1',
      userId: 'u-anon',
      messageId: 'm-anon-id',
      traits: { email: 'Ann@Example.org', title: 'Engineer' },
    });
    const contact = await contactByUser('u-anon');
    expect(contact.email).toBe('ann@example.org');
    const attributed = await t.db
      .selectFrom('events')
      .select('contact_id')
      .where('anonymous_id', '=', 'anon-1')
      .execute();
    expect(attributed.every((row) => row.contact_id === contact.id)).toBe(true);
    const explanation = (await t.get(`/api/contacts/${contact.id}/score`)).json();
    const pricing = explanation.engagement.lines.find((line: { rule?: string }) => line.rule === 'pricing-page');
    expect(pricing).toMatchObject({ matched: 3, counted: 2 });

    // A later anonymous page from the same browser goes straight to the contact.
    await t.send('/v1/page', { anonymousId: 'anon-1', messageId: 'm-anon-late', properties: { path: '/blog/x' } });
    const late = await t.db
      .selectFrom('events')
      .select('contact_id')
      .where('message_id', '=', 'm-anon-late')
      .executeTakeFirstOrThrow();
    expect(late.contact_id).toBe(contact.id);
  });

  it('credits anonymous page views to the contact identified later in the same batch', async () => {
    const at = t.clock.now - HOUR;
    const pages = [0, 1, 2].map((i) => ({
      type: 'page',
      anonymousId: 'anon-same-batch',
      messageId: `m-same-batch-${i}`,
      timestamp: iso(at + i),
      properties: { path: '/pricing' },
    }));
    const identify = {
      type: 'identify',
      anonymousId: 'anon-same-batch',
      userId: 'u-same-batch',
      messageId: 'm-same-batch-id',
      timestamp: iso(at + 10),
      traits: { email: 'sam@example.org' },
    };
    const response = await t.send('/v1/batch', { batch: [...pages, identify] });
    expect(response.json()).toMatchObject({ accepted: 4, errors: [] });
    const contact = await contactByUser('u-same-batch');
    const events = await t.db
      .selectFrom('events')
      .select(['message_id', 'contact_id'])
      .where('anonymous_id', '=', 'anon-same-batch')
      .execute();
    expect(events).toHaveLength(4);
    expect(events.every((row) => row.contact_id === contact.id)).toBe(true);
    const explanation = (await t.get(`/api/contacts/${contact.id}/score`)).json();
    const pricing = explanation.engagement.lines.find((line: { rule?: string }) => line.rule === 'pricing-page');
    expect(pricing).toMatchObject({ matched: 3 });
  });

  it('never merges two different known people who shared a browser', async () => {
    await t.send('/v1/identify', {
      anonymousId: 'anon-shared',
      userId: 'u-first',
      messageId: 'm-s1',
      traits: { email: 'first@corp.com' },
    });
    await t.send('/v1/identify', {
      anonymousId: 'anon-shared',
      userId: 'u-second',
      messageId: 'm-s2',
      traits: { email: 'second@corp.com' },
    });
    const first = await contactByUser('u-first');
    const second = await contactByUser('u-second');
    expect(first.id).not.toBe(second.id);
    expect(first.email).toBe('first@corp.com');
    expect(second.email).toBe('second@corp.com');
  });
});

describe('event timeline', () => {
  it('filters by type, name, source and date range, newest first, with cursor pagination', async () => {
    const base = t.clock.now - 10 * 86_400_000;
    const batch: object[] = [0, 1, 2, 3, 4].map((day) => ({
      type: 'track',
      userId: 'u-timeline',
      messageId: `tl-${day}`,
      event: day % 2 ? 'Email Opened' : 'Webinar Attended',
      timestamp: iso(base + day * 86_400_000),
    }));
    batch.push({
      type: 'page',
      userId: 'u-timeline',
      messageId: 'tl-page',
      timestamp: iso(base),
      properties: { path: '/pricing' },
    });
    await t.send('/v1/batch', { batch });
    const contact = await contactByUser('u-timeline');
    const url = (query: string) => `/api/contacts/${contact.id}/events?${query}`;

    const tracks = (await t.get(url('type=track'))).json();
    expect(tracks.items.map((item: { messageId: string }) => item.messageId)).toEqual([
      'tl-4',
      'tl-3',
      'tl-2',
      'tl-1',
      'tl-0',
    ]);
    const opened = (await t.get(url('name=Email%20Opened'))).json();
    expect(opened.items.map((item: { messageId: string }) => item.messageId)).toEqual(['tl-3', 'tl-1']);
    const ranged = (
      await t.get(
        url(`from=${encodeURIComponent(iso(base + 86_400_000))}&to=${encodeURIComponent(iso(base + 3 * 86_400_000))}`),
      )
    ).json();
    expect(ranged.items.map((item: { messageId: string }) => item.messageId)).toEqual(['tl-2', 'tl-1']);
    expect((await t.get(url('source=api'))).json().items).toHaveLength(6);
    expect((await t.get(url('source=import'))).json().items).toHaveLength(0);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ messageId: string }>; nextCursor: string | null } = (
        await t.get(url(`limit=2${cursor ? `&cursor=${cursor}` : ''}`))
      ).json();
      seen.push(...page.items.map((item) => item.messageId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect((await t.get(url('type=teleport'))).statusCode).toBe(400);
  });
});

describe('messages without a messageId', () => {
  it('are each stored: the same call sent twice is two events, and a batch of 10,000 identical ones is 10,000', async () => {
    // Short, so that 10,000 of them fit in the 500 KB batch limit.
    const message = { userId: 'u9', event: 'Viewed' };
    const first = await t.send('/v1/track', message);
    const second = await t.send('/v1/track', message);
    expect([first.json().accepted, second.json().accepted]).toEqual([1, 1]);
    const batch = await t.send('/v1/batch', {
      batch: Array.from({ length: 10_000 }, () => ({ type: 'track', ...message })),
    });
    expect(batch.statusCode, batch.body).toBe(200);
    expect(batch.json()).toMatchObject({ accepted: 10_000, duplicates: 0 });
    const contact = await contactByUser('u9');
    const count = await t.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(10_002);
  });
});

describe('the score explanation', () => {
  it('explains the stored score exactly, hours after it was scored, and says when it is from', async () => {
    const scoredAt = t.clock.now;
    await t.send('/v1/batch', {
      batch: [
        { type: 'identify', userId: 'explain-later', traits: { jobTitle: 'VP Marketing', email: 'x@later.io' } },
        { type: 'track', userId: 'explain-later', event: 'Webinar Attended', timestamp: iso(scoredAt - 3 * HOUR) },
        { type: 'track', userId: 'explain-later', event: 'Pricing Viewed', timestamp: iso(scoredAt - HOUR) },
      ],
    });
    const stored = await t.db
      .selectFrom('contacts')
      .select(['id', 'fit', 'engagement', 'score'])
      .where('user_id', '=', 'explain-later')
      .executeTakeFirstOrThrow();
    expect(stored.engagement).toBeGreaterThan(0);
    // Engagement decays: a live rescore hours later would give other figures than those stored.
    t.clock.now = scoredAt + 7 * HOUR;
    try {
      const explanation = (await t.get(`/api/contacts/${stored.id}/score`)).json();
      expect(explanation.at).toBe(iso(scoredAt));
      expect(Math.round(explanation.engagement.points * 100)).toBe(stored.engagement);
      expect(Math.round(explanation.fit.points * 100)).toBe(stored.fit);
      expect(Math.round(explanation.combined.points * 100)).toBe(stored.score);
      const lines = explanation.engagement.lines as Array<{ points: number }>;
      const sum = lines.reduce((total, line) => total + Math.round(line.points * 100), 0);
      expect(sum).toBe(stored.engagement);
    } finally {
      t.clock.now = scoredAt;
    }
  });
});
