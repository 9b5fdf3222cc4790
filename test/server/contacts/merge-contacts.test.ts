import { describe, expect, it } from 'vitest';
import { HOUR, handoffDriver } from '../handoff/handoff-helpers.ts';
import { rowsMentioning } from '../helpers/rows-mentioning.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();
const h = handoffDriver(t);

const WORK = 'mira.holt@acme-widgets.example';
const PERSONAL = 'mira.holt.home@example.net';
const DEVICE = 'device-merge-77aa';

async function api(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, auth = t.secretAuth) {
  return t.app.inject({ method, url, headers: { authorization: auth }, payload });
}

/** Webhook message types about a contact (`data.contactId`), in order. */
async function contactWebhooks(contactId: string): Promise<string[]> {
  const rows = await t.db.selectFrom('webhook_messages').select(['type', 'payload']).orderBy('seq').execute();
  return rows
    .filter((row) => (row.payload as { data: { contactId?: string } }).data.contactId === contactId)
    .map((row) => row.type);
}

async function contactCount(): Promise<number> {
  const row = await t.db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('workspace_id', '=', t.workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function eventsOf(contactId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('events')
    .select('message_id')
    .where('contact_id', '=', contactId)
    .orderBy('message_id')
    .execute();
  return rows.map((row) => row.message_id);
}

/** The stored scores equal a full recomputation from the contact's events (the explanation's sum). */
async function expectScoreExplained(contactId: string) {
  const stored = await t.db
    .selectFrom('contacts')
    .select(['fit', 'engagement', 'score'])
    .where('id', '=', contactId)
    .executeTakeFirstOrThrow();
  const explanation = (await t.get(`/api/contacts/${contactId}/score`)).json();
  const lines = explanation.engagement.lines as Array<{ points: number }>;
  expect(lines.reduce((total, line) => total + Math.round(line.points * 100), 0)).toBe(stored.engagement);
  expect(Math.round(explanation.fit.points * 100)).toBe(stored.fit);
  expect(Math.round(explanation.combined.points * 100)).toBe(stored.score);
  return stored;
}

describe('merging two contacts', () => {
  let survivor = '';
  let merged = '';
  let mergeId = '';
  let engagementBefore = 0;

  it('starts from one person known twice: a work identity and a personal one with a device', async () => {
    await h.subscribeAll();
    const at = (hoursAgo: number) => new Date(t.clock.now - hoursAgo * HOUR).toISOString();
    const work = await t.send('/v1/batch', {
      batch: [
        { type: 'identify', userId: 'crm-mira', messageId: 'mg-1', traits: { email: WORK, jobTitle: 'VP Marketing' } },
        { type: 'page', userId: 'crm-mira', messageId: 'mg-2', timestamp: at(5), properties: { path: '/pricing' } },
      ],
    });
    expect(work.json().errors).toEqual([]);
    const personal = await t.send('/v1/batch', {
      batch: [
        { type: 'page', anonymousId: DEVICE, messageId: 'mg-3', timestamp: at(4), properties: { path: '/pricing' } },
        {
          type: 'identify',
          anonymousId: DEVICE,
          messageId: 'mg-4',
          traits: { email: PERSONAL, phone: '+47 555 0101', country: 'NO', favouriteColour: 'teal' },
        },
        { type: 'track', anonymousId: DEVICE, messageId: 'mg-5', timestamp: at(3), event: 'Webinar Attended' },
      ],
    });
    expect(personal.json().errors).toEqual([]);
    const rows = await t.db.selectFrom('contacts').select(['id', 'email', 'engagement']).execute();
    survivor = rows.find((row) => row.email === WORK)?.id ?? '';
    merged = rows.find((row) => row.email === PERSONAL)?.id ?? '';
    expect(survivor).not.toBe('');
    expect(merged).not.toBe('');
    engagementBefore = rows.find((row) => row.id === survivor)?.engagement ?? 0;
    const consent = await api('PUT', `/api/contacts/${merged}/consents/email_marketing`, {
      granted: true,
      source: 'newsletter form',
    });
    expect(consent.statusCode).toBe(200);
  });

  it('refuses those who may not merge, a contact into itself, and an unknown email', async () => {
    const rep = await h.key('rep', 'rep-merge');
    expect((await api('POST', `/api/contacts/${survivor}/merges`, { mergedId: merged }, rep)).statusCode).toBe(403);
    const self = await api('POST', `/api/contacts/${survivor}/merges`, { mergedId: survivor });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.code).toBe('same_contact');
    const unknown = await api('POST', `/api/contacts/${survivor}/merges`, { mergedEmail: 'nobody@example.net' });
    expect(unknown.statusCode).toBe(404);
    const neither = await api('POST', `/api/contacts/${survivor}/merges`, { reason: 'x' });
    expect(neither.statusCode).toBe(400);
  });

  it('merges exactly once when two requests race, keeping both histories on the survivor', async () => {
    const [first, second] = await Promise.all([
      api('POST', `/api/contacts/${survivor}/merges`, { mergedEmail: PERSONAL, reason: 'same person, home email' }),
      api('POST', `/api/contacts/${survivor}/merges`, { mergedId: merged, reason: 'same person, home email' }),
    ]);
    const statuses = [first.statusCode, second.statusCode].sort();
    expect(statuses).toEqual([201, 409]);
    const won = first.statusCode === 201 ? first : second;
    const lost = first.statusCode === 201 ? second : first;
    expect(lost.json().error.code).toBe('already_merged');
    mergeId = won.json().id;
    expect(won.json()).toMatchObject({
      survivorId: survivor,
      mergedId: merged,
      merged: { email: PERSONAL, stage: 'lead' },
      reason: 'same person, home email',
      moved: { events: 3, devices: 1, outcomes: 0 },
      undoneAt: null,
    });
    expect(await contactCount()).toBe(1);
    const gone = await t.get(`/api/contacts/${merged}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.details).toEqual({ survivorId: survivor, mergeId: won.json().id });
    expect((await t.get(`/api/contacts/${merged}/page`)).json().error.details.survivorId).toBe(survivor);
    expect(await eventsOf(survivor)).toEqual(['mg-1', 'mg-2', 'mg-3', 'mg-4', 'mg-5']);
    const contact = (await t.get(`/api/contacts/${survivor}`)).json();
    expect(contact).toMatchObject({ email: WORK, phone: '+47 555 0101', country: 'NO' });
    expect(contact.properties).toMatchObject({ favouriteColour: 'teal' });
    const consents = (await t.get(`/api/contacts/${survivor}/consents`)).json();
    expect(JSON.stringify(consents)).toContain('newsletter form');
    const stored = await expectScoreExplained(survivor);
    expect(stored.engagement).toBeGreaterThan(engagementBefore);
    const listed = (await t.get(`/api/contacts/${survivor}/merges`)).json();
    expect(listed.merges.map((merge: { id: string }) => merge.id)).toEqual([mergeId]);
    expect(await contactWebhooks(survivor)).toEqual(['contact.merged']);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('target', '=', survivor)
      .execute();
    expect(audit.map((row) => row.action)).toContain('contact.merged');
  });

  it('sends what names the merged person later to the survivor, and makes nobody new', async () => {
    const response = await t.send('/v1/batch', {
      batch: [
        {
          type: 'track',
          anonymousId: 'tablet-1',
          messageId: 'mg-6',
          event: 'Ebook Downloaded',
          context: { traits: { email: PERSONAL } },
        },
        { type: 'page', anonymousId: DEVICE, messageId: 'mg-7', properties: { path: '/docs' } },
        { type: 'identify', anonymousId: 'tablet-1', messageId: 'mg-8', traits: { email: PERSONAL, lastName: 'Holt' } },
      ],
    });
    expect(response.json().errors).toEqual([]);
    expect(await contactCount()).toBe(1);
    expect(await eventsOf(survivor)).toEqual(['mg-1', 'mg-2', 'mg-3', 'mg-4', 'mg-5', 'mg-6', 'mg-7', 'mg-8']);
    const contact = (await t.get(`/api/contacts/${survivor}`)).json();
    expect(contact.email).toBe(WORK);
    expect(contact.lastName).toBe('Holt');
    const again = await api('POST', '/api/contacts', { email: PERSONAL });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain(survivor);
    await expectScoreExplained(survivor);
  });

  it('undoes the merge once: the merged contact comes back with its id, fields and events', async () => {
    const [first, second] = await Promise.all([
      api('POST', `/api/merges/${mergeId}/undo`, { reason: 'two people after all' }),
      api('POST', `/api/merges/${mergeId}/undo`, {}),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 409]);
    const lost = first.statusCode === 200 ? second : first;
    expect(lost.json().error.code).toBe('already_undone');
    expect(await contactCount()).toBe(2);
    const back = (await t.get(`/api/contacts/${merged}`)).json();
    expect(back).toMatchObject({ id: merged, email: PERSONAL, phone: '+47 555 0101' });
    // Its own events, and what its device sent since; the email-only ones stay where they went.
    expect(await eventsOf(merged)).toEqual(['mg-3', 'mg-4', 'mg-5', 'mg-7']);
    expect(await eventsOf(survivor)).toEqual(['mg-1', 'mg-2', 'mg-6', 'mg-8']);
    const survivorNow = (await t.get(`/api/contacts/${survivor}`)).json();
    expect(survivorNow.phone).toBeNull();
    expect(survivorNow.properties.favouriteColour).toBeUndefined();
    expect(JSON.stringify((await t.get(`/api/contacts/${survivor}/consents`)).json())).not.toContain('newsletter form');
    expect(JSON.stringify((await t.get(`/api/contacts/${merged}/consents`)).json())).toContain('newsletter form');
    const link = await t.db
      .selectFrom('anonymous_ids')
      .select('contact_id')
      .where('anonymous_id', '=', DEVICE)
      .executeTakeFirstOrThrow();
    expect(link.contact_id).toBe(merged);
    await expectScoreExplained(survivor);
    await expectScoreExplained(merged);
    expect(await contactWebhooks(survivor)).toEqual(['contact.merged', 'contact.unmerged']);
    // The personal email is the merged contact's own again.
    await t.send('/v1/track', {
      anonymousId: 'tablet-2',
      messageId: 'mg-9',
      event: 'Ebook Downloaded',
      context: { traits: { email: PERSONAL } },
    });
    expect(await eventsOf(merged)).toContain('mg-9');
  });

  it('erasing a survivor erases what was merged into it too', async () => {
    const again = await api('POST', `/api/contacts/${survivor}/merges`, { mergedId: merged });
    expect(again.statusCode).toBe(201);
    const erased = await api('POST', '/api/privacy/erasures', { contactId: survivor });
    expect(erased.statusCode).toBe(200);
    expect(await rowsMentioning(t.db, PERSONAL)).toEqual([]);
    expect(await rowsMentioning(t.db, WORK)).toEqual([]);
    expect(await rowsMentioning(t.db, DEVICE)).toEqual([]);
    // Both emails stay suppressed.
    const comeback = await t.send('/v1/identify', {
      anonymousId: 'tablet-3',
      messageId: 'mg-10',
      traits: { email: PERSONAL },
    });
    expect(comeback.statusCode).toBe(200);
    expect(await contactCount()).toBe(0);
  });
});

describe('merging while events arrive', () => {
  it('leaves no event on the merged contact and scores the survivor from all of them', async () => {
    const base = await t.send('/v1/batch', {
      batch: [
        { type: 'identify', userId: 'crm-cara', messageId: 'race-1', traits: { email: 'cara@acme-widgets.example' } },
        { type: 'identify', anonymousId: 'dev-dora', messageId: 'race-2', traits: { email: 'dora@example.net' } },
      ],
    });
    expect(base.json().errors).toEqual([]);
    const ids = await t.db.selectFrom('contacts').select(['id', 'email']).execute();
    const cara = ids.find((row) => row.email === 'cara@acme-widgets.example')?.id as string;
    const dora = ids.find((row) => row.email === 'dora@example.net')?.id as string;
    const batches = Array.from({ length: 24 }, (_, b) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { authorization: t.writeAuth },
        payload: {
          batch: Array.from({ length: 10 }, (_, i) => ({
            type: 'page',
            anonymousId: 'dev-dora',
            messageId: `race-p-${b}-${i}`,
            properties: { path: i % 2 === 0 ? '/pricing' : '/docs' },
          })),
        },
      }),
    );
    const merge = api('POST', `/api/contacts/${cara}/merges`, { mergedId: dora, reason: 'race' });
    const responses = await Promise.all([...batches, merge]);
    expect(responses.map((response) => response.statusCode)).toEqual([...batches.map(() => 200), 201]);
    await t.scoring.drain();
    const left = await t.db.selectFrom('events').select('message_id').where('contact_id', '=', dora).execute();
    expect(left).toEqual([]);
    const onCara = await t.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('contact_id', '=', cara)
      .where('anonymous_id', '=', 'dev-dora')
      .executeTakeFirstOrThrow();
    expect(Number(onCara.n)).toBe(24 * 10 + 1);
    await expectScoreExplained(cara);
  });
});
