import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

async function post(path: string, body: Buffer | string, headers: Record<string, string>) {
  const response = await t.app.inject({
    method: 'POST',
    url: path,
    headers: { authorization: t.writeAuth, ...headers },
    payload: body,
  });
  await t.scoring.drain();
  return response;
}

async function isStored(messageId: string): Promise<boolean> {
  const row = await t.db
    .selectFrom('events')
    .select('message_id')
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  return row !== undefined;
}

const batchText = (id: string) =>
  JSON.stringify({ batch: [{ type: 'track', userId: 'body-user', messageId: id, event: 'Email Opened' }] });

describe('request bodies as real clients send them', () => {
  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('accepts a %s-compressed batch and a compressed single call', async (encoding, compress) => {
    const batch = await post('/v1/batch', compress(batchText(`body-${encoding}`)), {
      'content-type': 'application/json',
      'content-encoding': encoding,
    });
    expect(batch.statusCode, batch.body).toBe(200);
    expect(await isStored(`body-${encoding}`)).toBe(true);
    const single = await post(
      '/v1/track',
      compress(JSON.stringify({ userId: 'body-user', messageId: `body-${encoding}-1`, event: 'Email Opened' })),
      { 'content-type': 'application/json', 'content-encoding': encoding },
    );
    expect(single.statusCode, single.body).toBe(200);
    expect(await isStored(`body-${encoding}-1`)).toBe(true);
  });

  it('applies the size limit to the decompressed body: a decompression bomb gets 413', async () => {
    // 10 MB of spaces inside the JSON compress to about 10 KB.
    const bomb = gzipSync(`{"batch":[{"type":"track","userId":"b","event":"E"${' '.repeat(10 * 1024 * 1024)}}]}`);
    expect(bomb.length).toBeLessThan(20 * 1024);
    const response = await post('/v1/batch', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({ code: 'payload_too_large' });
    const single = await post('/v1/track', gzipSync(`{"userId":"b","event":"E"${' '.repeat(100_000)}}`), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(single.statusCode).toBe(413);
  });

  it('refuses a corrupt compressed body and an unknown encoding with what to do', async () => {
    const corrupt = await post('/v1/batch', Buffer.from('not gzip at all'), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(corrupt.statusCode).toBe(400);
    expect(corrupt.json().error.message).toContain('not valid gzip');
    const unknown = await post('/v1/batch', batchText('body-zstd'), {
      'content-type': 'application/json',
      'content-encoding': 'zstd',
    });
    expect(unknown.statusCode).toBe(415);
    expect(unknown.json().error.message).toContain('send gzip, deflate, br or an uncompressed body');
  });

  it('reads JSON sent as text/plain (Segment in browsers) and as form-urlencoded (RudderStack with gzip)', async () => {
    const plain = await post('/v1/batch', batchText('body-plain'), { 'content-type': 'text/plain' });
    expect(plain.statusCode, plain.body).toBe(200);
    const form = await post('/v1/batch', gzipSync(batchText('body-form')), {
      'content-type': 'application/x-www-form-urlencoded',
      'content-encoding': 'gzip',
    });
    expect(form.statusCode, form.body).toBe(200);
    expect([await isStored('body-plain'), await isStored('body-form')]).toEqual([true, true]);
  });

  it('reads the write key from a text/plain body, as the browser library sends it', async () => {
    const writeKey = Buffer.from(t.writeAuth.slice('Basic '.length), 'base64').toString().replace(/:$/, '');
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ writeKey, userId: 'body-user', messageId: 'body-key', event: 'Email Opened' }),
    });
    expect(response.statusCode, response.body).toBe(200);
  });
});
