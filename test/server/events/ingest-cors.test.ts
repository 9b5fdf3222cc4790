import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../../src/server/workspaces/api-keys.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();
const SITE = 'https://www.example.com';

let sequence = 0;
const page = (anonymousId: string) => ({
  type: 'page',
  anonymousId,
  messageId: `cors-${++sequence}`,
  properties: { path: '/pricing' },
});

describe('CORS on the ingestion API', () => {
  it('answers a preflight from any website: POST, the headers libraries send, cached', async () => {
    const response = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/batch',
      headers: {
        origin: SITE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': SITE,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type, authorization, content-encoding',
      'access-control-max-age': '7200',
      vary: 'Origin',
    });
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('takes a text/plain batch with the write key in the body (sendBeacon) and names the origin', async () => {
    const { key } = await createApiKey(t.db, t.workspaceId, 'write', 'Website', { allowedOrigins: [SITE] });
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { origin: SITE, 'content-type': 'text/plain;charset=UTF-8' },
      payload: JSON.stringify({ writeKey: key, batch: [page('cors-visitor')] }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ success: true, accepted: 1 });
    expect(response.headers['access-control-allow-origin']).toBe(SITE);
    expect(response.headers.vary).toBe('Origin');
  });

  it('refuses another website with a 403 the browser script can read, and stores nothing', async () => {
    const { key } = await createApiKey(t.db, t.workspaceId, 'write', 'Shop', { allowedOrigins: [SITE] });
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { origin: 'https://evil.example.net', 'content-type': 'text/plain' },
      payload: JSON.stringify({ writeKey: key, batch: [page('cors-intruder')] }),
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('origin_not_allowed');
    expect(response.headers['access-control-allow-origin']).toBe('https://evil.example.net');
    const stored = await t.db
      .selectFrom('events')
      .select('message_id')
      .where('anonymous_id', '=', 'cors-intruder')
      .execute();
    expect(stored).toEqual([]);
  });

  it('sends no CORS header to servers, which send no Origin', async () => {
    const response = await t.send('/v1/batch', { batch: [page('cors-server')] });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});
