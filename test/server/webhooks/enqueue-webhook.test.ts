import { afterEach, describe, expect, it } from 'vitest';
import { enqueueWebhook, type WebhookEventType } from '../../../src/server/webhooks/enqueue-webhook.ts';
import { generateWebhookSecret } from '../../../src/server/webhooks/sign-webhook.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();
afterEach(async () => {
  await t.db.deleteFrom('webhook_deliveries').execute();
  await t.db.deleteFrom('webhook_messages').execute();
  await t.db.deleteFrom('webhook_endpoints').execute();
});

async function addEndpoint(eventTypes: string[], enabled = true): Promise<string> {
  const row = await t.db
    .insertInto('webhook_endpoints')
    .values({
      workspace_id: t.workspaceId,
      url: 'https://hooks.example.com/ripen',
      secret: generateWebhookSecret(),
      event_types: eventTypes,
      enabled,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function enqueue(type: WebhookEventType): Promise<void> {
  await t.db
    .transaction()
    .execute((trx) => enqueueWebhook(trx, t.workspaceId, type, { contactId: 'c-1' }, t.clock.now));
}

async function deliveryTargets(): Promise<string[]> {
  const rows = await t.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_messages as m', 'm.id', 'd.message_id')
    .select(['d.endpoint_id', 'm.type'])
    .orderBy('d.id')
    .execute();
  return rows.map((row) => `${row.type} -> ${row.endpoint_id}`);
}

describe('the webhook outbox', () => {
  it('makes one pending delivery per enabled endpoint subscribed to the type (none listed = every type)', async () => {
    const sqlOnly = await addEndpoint(['lead.sql']);
    const everything = await addEndpoint([]);
    await addEndpoint([], false);

    await enqueue('lead.mql');
    await enqueue('lead.sql');

    expect(await deliveryTargets()).toEqual([
      `lead.mql -> ${everything}`,
      `lead.sql -> ${sqlOnly}`,
      `lead.sql -> ${everything}`,
    ]);
    const rows = await t.db.selectFrom('webhook_deliveries').selectAll().execute();
    expect(rows.every((row) => row.status === 'pending' && row.next_attempt_at?.getTime() === t.clock.now)).toBe(true);
  });

  it('stores the body with the type, the time of the event and the data', async () => {
    await addEndpoint([]);
    await enqueue('sla.warning');
    const message = await t.db.selectFrom('webhook_messages').selectAll().executeTakeFirstOrThrow();
    expect(message.id).toMatch(/^msg_/);
    expect(message.payload).toEqual({
      type: 'sla.warning',
      timestamp: new Date(t.clock.now).toISOString(),
      data: { contactId: 'c-1' },
    });
  });

  it('writes no message when no endpoint wants it', async () => {
    await addEndpoint(['lead.sql']);
    await enqueue('lead.mql');
    expect(await t.db.selectFrom('webhook_messages').selectAll().execute()).toEqual([]);
  });

  it('leaves nothing behind when the transaction that announced the change rolls back', async () => {
    await addEndpoint([]);
    await expect(
      t.db.transaction().execute(async (trx) => {
        await enqueueWebhook(trx, t.workspaceId, 'lead.disqualified', { contactId: 'c-1' }, t.clock.now);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await t.db.selectFrom('webhook_messages').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('webhook_deliveries').selectAll().execute()).toEqual([]);
  });
});
