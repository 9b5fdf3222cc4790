import { describe, expect, it } from 'vitest';
import { applyRetention } from '../../../src/server/privacy/privacy-store.ts';
import { DAY } from '../../helpers/time.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

async function api(method: 'GET' | 'PUT', url: string, payload?: object) {
  return t.app.inject({ method, url, headers: { authorization: t.secretAuth }, payload });
}

async function storedIp(messageId: string): Promise<unknown> {
  const row = await t.db
    .selectFrom('events')
    .select('context')
    .where('message_id', '=', messageId)
    .executeTakeFirstOrThrow();
  return row.context.ip;
}

describe('privacy settings', () => {
  it('truncates IP addresses before storage unless the workspace keeps them whole', async () => {
    expect((await api('GET', '/api/privacy/settings')).json()).toEqual({ keepFullIp: false, retentionDays: {} });
    await t.send('/v1/batch', {
      batch: [
        { type: 'page', anonymousId: 'ip-1', messageId: 'ip-v4', context: { ip: '203.0.113.77' } },
        { type: 'page', anonymousId: 'ip-1', messageId: 'ip-v6', context: { ip: '2001:db8:85a3::8a2e:370:7334' } },
        { type: 'page', anonymousId: 'ip-1', messageId: 'ip-junk', context: { ip: 'my laptop' } },
      ],
    });
    expect(await storedIp('ip-v4')).toBe('203.0.113.0');
    expect(await storedIp('ip-v6')).toBe('2001:db8:85a3::');
    expect(await storedIp('ip-junk')).toBeUndefined();

    const kept = await api('PUT', '/api/privacy/settings', { keepFullIp: true, retentionDays: {} });
    expect(kept.statusCode).toBe(200);
    await t.send('/v1/page', { anonymousId: 'ip-1', messageId: 'ip-whole', context: { ip: '203.0.113.77' } });
    expect(await storedIp('ip-whole')).toBe('203.0.113.77');
    await api('PUT', '/api/privacy/settings', { keepFullIp: false, retentionDays: {} });
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'privacy.changed').execute();
    expect(audit).toHaveLength(2);
  });

  it('refuses bad retention with a message saying what to send', async () => {
    const response = await api('PUT', '/api/privacy/settings', { keepFullIp: false, retentionDays: { page: 0 } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('whole number of days');
  });

  it('deletes events past their retention, the most specific entry deciding', async () => {
    const now = t.clock.now;
    const at = (days: number) => new Date(now - days * DAY).toISOString();
    await t.send('/v1/batch', {
      batch: [
        { type: 'page', anonymousId: 'keep-1', messageId: 'ret-page-old', timestamp: at(40) },
        { type: 'page', anonymousId: 'keep-1', messageId: 'ret-page-new', timestamp: at(5) },
        { type: 'track', anonymousId: 'keep-1', messageId: 'ret-open-old', event: 'Email Opened', timestamp: at(40) },
        { type: 'track', anonymousId: 'keep-1', messageId: 'ret-demo-old', event: 'Demo Requested', timestamp: at(40) },
        {
          type: 'track',
          anonymousId: 'keep-1',
          messageId: 'ret-demo-older',
          event: 'Demo Requested',
          timestamp: at(400),
        },
      ],
    });
    const saved = await api('PUT', '/api/privacy/settings', {
      keepFullIp: false,
      retentionDays: { page: 30, 'Email Opened': 60, '*': 365 },
    });
    expect(saved.statusCode).toBe(200);
    const deleted = await applyRetention(t.db, t.workspaceId, now);
    expect(deleted).toMatchObject({ page: expect.any(Number), 'Email Opened': 0, '*': expect.any(Number) });
    const left = await t.db
      .selectFrom('events')
      .select('message_id')
      .where('message_id', 'like', 'ret-%')
      .orderBy('message_id')
      .execute();
    expect(left.map((row) => row.message_id)).toEqual(['ret-demo-old', 'ret-open-old', 'ret-page-new']);
  });

  it('records consent per purpose; an older decision does not replace a newer one', async () => {
    const person = await t.send('/v1/identify', {
      userId: 'consenting-1',
      messageId: 'consent-person',
      traits: { email: 'consent@acme-widgets.example' },
    });
    expect(person.statusCode).toBe(200);
    const { id } = await t.db
      .selectFrom('contacts')
      .select('id')
      .where('user_id', '=', 'consenting-1')
      .executeTakeFirstOrThrow();
    const url = `/api/contacts/${id}/consents/newsletter`;
    const withdrawn = await api('PUT', url, {
      granted: false,
      source: 'unsubscribe link',
      at: new Date(t.clock.now).toISOString(),
    });
    expect(withdrawn.json()).toMatchObject({ purpose: 'newsletter', granted: false, source: 'unsubscribe link' });
    const stale = await api('PUT', url, {
      granted: true,
      source: 'old import',
      at: new Date(t.clock.now - DAY).toISOString(),
    });
    expect(stale.json()).toMatchObject({ granted: false, source: 'unsubscribe link' });
    const bad = await api('PUT', `/api/contacts/${id}/consents/News Letter`, { granted: true, source: 'form' });
    expect(bad.statusCode).toBe(400);
    const listed = await api('GET', `/api/contacts/${id}/consents`);
    expect(listed.json().items).toEqual([expect.objectContaining({ purpose: 'newsletter', granted: false })]);
  });
});
