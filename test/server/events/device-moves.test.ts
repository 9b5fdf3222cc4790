import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

async function contactOf(messageId: string): Promise<string | null> {
  const row = await t.db
    .selectFrom('events')
    .select('contact_id')
    .where('message_id', '=', messageId)
    .executeTakeFirstOrThrow();
  return row.contact_id;
}

async function idOf(email: string): Promise<string> {
  const row = await t.db.selectFrom('contacts').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  return row.id;
}

describe('a device shared by two people', () => {
  it('moves to the later identity from then on; the first keeps its history; nobody is merged', async () => {
    const device = 'shared-laptop-1';
    await t.send('/v1/page', { anonymousId: device, messageId: 'dev-1', properties: { path: '/pricing' } });
    await t.send('/v1/identify', {
      anonymousId: device,
      messageId: 'dev-2',
      traits: { email: 'ann@acme-widgets.example' },
    });
    await t.send('/v1/page', { anonymousId: device, messageId: 'dev-3', properties: { path: '/pricing' } });
    const ann = await idOf('ann@acme-widgets.example');
    expect(await contactOf('dev-1')).toBe(ann);
    expect(await contactOf('dev-3')).toBe(ann);

    await t.send('/v1/identify', {
      anonymousId: device,
      messageId: 'dev-4',
      traits: { email: 'bob@acme-widgets.example' },
    });
    await t.send('/v1/page', { anonymousId: device, messageId: 'dev-5', properties: { path: '/demo' } });
    const bob = await idOf('bob@acme-widgets.example');
    expect(bob).not.toBe(ann);
    expect(await contactOf('dev-4')).toBe(bob);
    expect(await contactOf('dev-5')).toBe(bob);
    for (const earlier of ['dev-1', 'dev-2', 'dev-3']) expect(await contactOf(earlier)).toBe(ann);
    const link = await t.db
      .selectFrom('anonymous_ids')
      .select('contact_id')
      .where('anonymous_id', '=', device)
      .executeTakeFirstOrThrow();
    expect(link.contact_id).toBe(bob);

    // Back to the first person: the device follows again, and a replay of an old message changes nothing.
    await t.send('/v1/identify', {
      anonymousId: device,
      messageId: 'dev-6',
      traits: { email: 'ann@acme-widgets.example' },
    });
    await t.send('/v1/page', { anonymousId: device, messageId: 'dev-7' });
    await t.send('/v1/identify', {
      anonymousId: device,
      messageId: 'dev-4',
      traits: { email: 'bob@acme-widgets.example' },
    });
    await t.send('/v1/page', { anonymousId: device, messageId: 'dev-8' });
    expect(await contactOf('dev-7')).toBe(ann);
    expect(await contactOf('dev-8')).toBe(ann);
    const contacts = await t.db.selectFrom('contacts').select('id').execute();
    expect(contacts).toHaveLength(2);
  });
});
