import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCsv } from '../../../src/server/imports/import-csv.ts';
import { handoffDriver } from '../handoff/handoff-helpers.ts';
import { rowsMentioning as rowsOfTables } from '../helpers/rows-mentioning.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();
const h = handoffDriver(t);

const EMAIL = 'zelda.quist@acme-widgets.example';
const USER_ID = 'crm-erase-4711';
const DEVICE = 'device-erase-9f3c';
const OTHER = 'keeper@acme-widgets.example';

function rowsMentioning(needle: string): Promise<string[]> {
  return rowsOfTables(t.db, needle);
}

async function api(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, auth = t.secretAuth) {
  return t.app.inject({ method, url, headers: { authorization: auth }, payload });
}

describe('erasing a contact', () => {
  let contactId = '';

  it('builds a contact with a whole history: device, events, hand-off, BANT, outcome, consent, quarantine', async () => {
    await h.subscribeAll();
    const before = await t.send('/v1/page', {
      anonymousId: DEVICE,
      messageId: 'erase-page-1',
      properties: { path: '/pricing' },
      context: { ip: '203.0.113.77' },
    });
    expect(before.statusCode).toBe(200);
    const identify = await t.send('/v1/identify', {
      anonymousId: DEVICE,
      userId: USER_ID,
      messageId: 'erase-identify-1',
      traits: { email: EMAIL, firstName: 'Zelda', lastName: 'Quistorp', jobTitle: 'VP Marketing', phone: '+47 555' },
    });
    expect(identify.statusCode).toBe(200);
    contactId = await h.handRaiser(USER_ID);
    await h.handRaiser('keeper-1', { email: OTHER });
    expect((await h.act(t.secretAuth, contactId, 'accept')).statusCode).toBe(200);
    expect((await h.act(t.secretAuth, contactId, 'touch', { channel: 'call' })).statusCode).toBe(200);
    const qualify = await h.act(t.secretAuth, contactId, 'qualify', {
      budget: '50k',
      authority: 'VP signs',
      need: 'routing',
      timeline: 'Q3',
    });
    expect(qualify.statusCode).toBe(200);
    expect((await h.act(t.secretAuth, contactId, 'opportunity', { amount: 24000 })).statusCode).toBe(200);
    expect((await h.act(t.secretAuth, contactId, 'outcome', { outcome: 'won', amount: 24000 })).statusCode).toBe(200);
    const consent = await api('PUT', `/api/contacts/${contactId}/consents/email_marketing`, {
      granted: true,
      source: 'signup form',
    });
    expect(consent.statusCode).toBe(200);
    const bad = await t.send('/v1/batch', {
      batch: [
        {
          type: 'identify',
          userId: USER_ID,
          messageId: 'erase-bad-1',
          timestamp: 'yesterday-ish',
          traits: { email: EMAIL },
        },
      ],
    });
    expect(bad.json().errors).toHaveLength(1);
    expect(await rowsMentioning(EMAIL)).not.toEqual([]);
    expect((await rowsMentioning(contactId)).length).toBeGreaterThan(5);
  });

  it("exports the contact's data as JSON for admins only", async () => {
    const data = await api('GET', `/api/contacts/${contactId}/data`);
    expect(data.statusCode).toBe(200);
    expect(data.headers['content-disposition']).toContain('attachment');
    const body = data.json();
    expect(body.contact).toMatchObject({ id: contactId, email: EMAIL, firstName: 'Zelda', stage: 'customer' });
    expect(body.anonymousIds).toEqual([expect.objectContaining({ anonymousId: DEVICE })]);
    expect(body.events.map((event: { messageId: string }) => event.messageId)).toContain('erase-page-1');
    expect(body.stageHistory.map((move: { to: string }) => move.to)).toEqual(
      expect.arrayContaining(['mql', 'sal', 'sql', 'opportunity', 'customer']),
    );
    expect(body.outcomes).toEqual([
      expect.objectContaining({ kind: 'opportunity', amount: 24000 }),
      expect.objectContaining({ kind: 'won', amount: 24000 }),
    ]);
    expect(body.consents).toEqual([expect.objectContaining({ purpose: 'email_marketing', granted: true })]);
    expect(body.handoffs).toHaveLength(1);
    const asRep = await api('GET', `/api/contacts/${contactId}/data`, undefined, await h.key('rep', 'rep@x.example'));
    expect(asRep.statusCode).toBe(403);
  });

  it('refuses reps and unknown contacts, and asks for one identity', async () => {
    const rep = await h.key('manager', 'manager@x.example');
    expect((await api('POST', '/api/privacy/erasures', { email: EMAIL }, rep)).statusCode).toBe(403);
    expect((await api('POST', '/api/privacy/erasures', { email: 'nobody@nowhere.example' })).statusCode).toBe(404);
    const both = await api('POST', '/api/privacy/erasures', { email: EMAIL, contactId });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.message).toContain('either');
  });

  it('removes every row that holds its email, names or ids, and announces it with contact.erased', async () => {
    const response = await api('POST', '/api/privacy/erasures', { email: EMAIL, reason: 'GDPR art. 17 request' });
    expect(response.statusCode).toBe(200);
    const { reference, erased } = response.json();
    expect(erased).toMatchObject({ contacts: 1, anonymous_ids: 1, outcomes: 2, handoffs: 1, contact_consents: 1 });
    expect(erased.events).toBeGreaterThanOrEqual(3);
    expect(erased.quarantine).toBe(1);
    for (const needle of [EMAIL, 'Quistorp', USER_ID, DEVICE, '+47 555'])
      expect(await rowsMentioning(needle)).toEqual([]);
    // The id is left only in the message that tells downstream systems to erase their copy.
    const mentions = await rowsMentioning(contactId);
    expect(mentions).toHaveLength(1);
    expect(mentions[0]).toMatch(/^webhook_messages: .*contact\.erased/);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'target', 'details'])
      .where('target', '=', reference)
      .execute();
    expect(audit.map((entry) => entry.action)).toContain('contact.erased');
    expect(audit.find((entry) => entry.action === 'contact.erased')?.details).toEqual({
      reason: 'GDPR art. 17 request',
    });
    const other = await t.db.selectFrom('contacts').select('id').where('email', '=', OTHER).execute();
    expect(other).toHaveLength(1);
  });

  it('keeps it from coming back through events, the same device, imports and the API', async () => {
    const again = await t.send('/v1/batch', {
      batch: [
        { type: 'identify', userId: 'someone-new', messageId: 'erase-again-1', traits: { email: EMAIL.toUpperCase() } },
        { type: 'page', anonymousId: DEVICE, messageId: 'erase-again-2', properties: { path: '/pricing' } },
        { type: 'track', userId: USER_ID, messageId: 'erase-again-3', event: 'Demo Requested' },
      ],
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ accepted: 0, errors: [] });
    const dir = mkdtempSync(join(tmpdir(), 'ripen-erase-'));
    const file = join(dir, 'contacts.csv');
    writeFileSync(file, `email,first_name\n${EMAIL},Zelda\nfresh@acme-widgets.example,Fresh\n`);
    await importCsv({ db: t.db, playbooks: t.playbooks, clock: () => t.clock.now }, t.workspaceId, {
      kind: 'contacts',
      file,
      mapping: [],
      batchSize: 10,
    });
    for (const needle of [EMAIL, USER_ID, DEVICE]) expect(await rowsMentioning(needle)).toEqual([]);
    expect(
      await t.db.selectFrom('contacts').select('id').where('email', '=', 'fresh@acme-widgets.example').execute(),
    ).toHaveLength(1);
    const created = await api('POST', '/api/contacts', { email: EMAIL });
    expect(created.statusCode).toBe(409);
    expect(created.json().error).toMatchObject({ code: 'erased', message: expect.stringContaining('suppression') });
  });

  it('lets the person back in when an admin lifts the suppression', async () => {
    const lifted = await api('DELETE', '/api/privacy/suppressions', { email: EMAIL });
    expect(lifted.json()).toEqual({ lifted: 1 });
    const created = await api('POST', '/api/contacts', { email: EMAIL });
    expect(created.statusCode).toBe(201);
  });
});
