import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/server/config.ts';
import { enqueueWebhook, WEBHOOK_EVENT_TYPES } from '../../../src/server/webhooks/enqueue-webhook.ts';
import { useTestApp } from '../helpers/test-app.ts';

// A public address literal: no DNS in tests, and nothing here drains the outbox, so it is never called.
const PUBLIC_URL = 'https://93.184.215.14/hooks/ripen';

const t = useTestApp();

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) {
  return t.app.inject({ method, url, headers: { authorization: t.secretAuth }, payload });
}

async function create(body: object = {}) {
  const response = await call('POST', '/api/webhooks', { url: PUBLIC_URL, ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string; secret: string; eventTypes: string[] }>();
}

describe('the webhook endpoints API', () => {
  it('creates an endpoint and shows its secret on creation and on its own route only', async () => {
    const created = await create({ description: 'CRM sync', eventTypes: ['lead.sql', 'lead.mql', 'lead.sql'] });
    expect(created).toMatchObject({
      url: PUBLIC_URL,
      description: 'CRM sync',
      eventTypes: ['lead.mql', 'lead.sql'],
      enabled: true,
      disabledReason: null,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const list = await t.get('/api/webhooks');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(created.secret);
    expect(list.body).not.toContain('whsec_');
    expect(list.json().items.map((item: { id: string }) => item.id)).toContain(created.id);
    expect(Object.keys(list.json().items[0])).not.toContain('secret');

    const secret = await t.get(`/api/webhooks/${created.id}/secret`);
    expect(secret.json()).toEqual({ secret: created.secret });
  });

  it('refuses a private URL with the setting that would allow it', async () => {
    const response = await call('POST', '/api/webhooks', { url: 'http://127.0.0.1:9999/hook' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'invalid_webhook_url' });
    expect(response.json().error.message).toBe(
      'webhook URL http://127.0.0.1:9999/hook resolves to 127.0.0.1, a loopback address; Ripen refuses private, ' +
        'loopback and link-local targets. An admin can allow it with RIPEN_WEBHOOK_ALLOW=127.0.0.1/32',
    );
  });

  it('refuses unknown event types, listing the valid ones', async () => {
    const response = await call('POST', '/api/webhooks', { url: PUBLIC_URL, eventTypes: ['lead.mql', 'lead.won'] });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('invalid_event_types');
    expect(error.message).toContain('unknown event type `lead.won`; use any of lead.mql, lead.assigned');
    expect(error.details).toEqual({ valid: [...WEBHOOK_EVENT_TYPES] });
  });

  it('changes an endpoint, checking a new URL again', async () => {
    const { id } = await create();
    const refused = await call('PATCH', `/api/webhooks/${id}`, { url: 'http://169.254.169.254/latest/meta-data' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('the cloud metadata address');

    const changed = await call('PATCH', `/api/webhooks/${id}`, {
      url: 'https://93.184.215.15/v2',
      eventTypes: ['outcome.recorded'],
      description: null,
    });
    expect(changed.json()).toMatchObject({
      url: 'https://93.184.215.15/v2',
      eventTypes: ['outcome.recorded'],
      description: null,
    });
    const paused = await call('PATCH', `/api/webhooks/${id}`, { enabled: false });
    expect(paused.json()).toMatchObject({ enabled: false, disabledReason: 'paused through the API' });
    const resumed = await call('PATCH', `/api/webhooks/${id}`, { enabled: true });
    expect(resumed.json()).toMatchObject({ enabled: true, disabledReason: null });
  });

  it('lists deliveries newest first in pages, filtered by status', async () => {
    const { id } = await create({ eventTypes: ['lead.recycled'] });
    for (let n = 0; n < 3; n++) {
      await t.db
        .transaction()
        .execute((trx) => enqueueWebhook(trx, t.workspaceId, 'lead.recycled', { n }, t.clock.now + n));
    }
    const first = await t.get(`/api/webhooks/${id}/deliveries?limit=2`);
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.items).toHaveLength(2);
    expect(page.items[0]).toMatchObject({ eventType: 'lead.recycled', status: 'pending', attempts: 0 });
    expect(page.items[0].id).toBeGreaterThan(page.items[1].id);
    const second = (await t.get(`/api/webhooks/${id}/deliveries?limit=2&cursor=${page.nextCursor}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect((await t.get(`/api/webhooks/${id}/deliveries?status=delivered`)).json().items).toEqual([]);
    expect((await t.get(`/api/webhooks/${id}/deliveries?cursor=nonsense`)).statusCode).toBe(400);
  });

  it('deletes an endpoint with its deliveries', async () => {
    const { id } = await create();
    await t.db.transaction().execute((trx) => enqueueWebhook(trx, t.workspaceId, 'lead.mql', {}, t.clock.now));
    expect((await call('DELETE', `/api/webhooks/${id}`)).statusCode).toBe(204);
    expect((await t.get(`/api/webhooks/${id}/secret`)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/webhooks/${id}`)).statusCode).toBe(404);
    const left = await t.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', id).execute();
    expect(left).toEqual([]);
  });

  it('answers 404 and 409 with what to do for replays and tests that cannot be sent', async () => {
    expect((await call('POST', '/api/webhooks/deliveries/999999/replay')).statusCode).toBe(404);
    const { id } = await create();
    await call('PATCH', `/api/webhooks/${id}`, { enabled: false });
    const test = await call('POST', `/api/webhooks/${id}/test`);
    expect(test.statusCode).toBe(409);
    expect(test.json().error.message).toContain('{"enabled": true}');
  });

  it('needs a secret key', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/webhooks' })).statusCode).toBe(401);
    const withWriteKey = await t.app.inject({
      method: 'GET',
      url: '/api/webhooks',
      headers: { authorization: t.writeAuth },
    });
    expect(withWriteKey.statusCode).toBe(403);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const paths = Object.keys((await t.get('/openapi.json')).json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/webhooks',
        '/api/webhooks/{id}',
        '/api/webhooks/{id}/secret',
        '/api/webhooks/{id}/deliveries',
        '/api/webhooks/{id}/test',
        '/api/webhooks/deliveries/{deliveryId}/replay',
      ]),
    );
  });
});

describe('RIPEN_WEBHOOK_ALLOW', () => {
  it('is read into webhookAllowList, and a bad entry stops start-up with its name', () => {
    expect(readConfig({ RIPEN_WEBHOOK_ALLOW: '10.20.0.0/16, crm.internal' }).webhookAllowList).toEqual([
      '10.20.0.0/16',
      'crm.internal',
    ]);
    expect(readConfig({}).webhookAllowList).toEqual([]);
    expect(() => readConfig({ RIPEN_WEBHOOK_ALLOW: '10.0.0.0/99' })).toThrow(
      /RIPEN_WEBHOOK_ALLOW entry `10.0.0.0\/99`/,
    );
  });
});
