import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

/** Posts a JSON text as it is (escapes such as \u0000 and lone \ud800 reach the parser unchanged). */
async function post(path: string, json: string, contentType = 'application/json') {
  const response = await t.app.inject({
    method: 'POST',
    url: path,
    headers: { authorization: t.writeAuth, 'content-type': contentType },
    payload: json,
  });
  await t.scoring.drain();
  return response;
}

async function storedIds(prefix: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('events')
    .select('message_id')
    .where('message_id', 'like', `${prefix}%`)
    .orderBy('message_id')
    .execute();
  return rows.map((row) => row.message_id);
}

const good = (id: string) => `{"type":"track","userId":"hostile-good","messageId":"${id}","event":"Email Opened"}`;

const hostileItems: Array<[string, string]> = [
  [
    'a NUL in a property value',
    '{"type":"track","userId":"h1","messageId":"h-nul-value","event":"E","properties":{"plan":"pro\\u0000"}}',
  ],
  [
    'a NUL in a property key',
    '{"type":"track","userId":"h1","messageId":"h-nul-key","event":"E","properties":{"pl\\u0000an":"pro"}}',
  ],
  ['a NUL in the event name', '{"type":"track","userId":"h1","messageId":"h-nul-event","event":"Demo\\u0000"}'],
  ['a NUL in the userId', '{"type":"track","userId":"h\\u00001","messageId":"h-nul-user","event":"E"}'],
  ['a NUL in the messageId', '{"type":"track","userId":"h1","messageId":"h-nul-\\u0000id","event":"E"}'],
  [
    'a NUL in identify traits',
    '{"type":"identify","userId":"h1","messageId":"h-nul-trait","traits":{"title":"CEO\\u0000"}}',
  ],
  [
    'a lone high surrogate',
    '{"type":"track","userId":"h1","messageId":"h-lone-high","event":"E","properties":{"x":"\\ud800"}}',
  ],
  [
    'a lone low surrogate in a key',
    '{"type":"page","userId":"h1","messageId":"h-lone-low","properties":{"\\udfff":1}}',
  ],
  ['a null item', 'null'],
  [
    'nesting 5,000 levels deep',
    `{"type":"track","userId":"h1","messageId":"h-deep","event":"E","properties":{"x":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
  ],
  [
    'a userId too large for a double',
    '{"type":"track","userId":123456789012345678901234567890,"messageId":"h-big-id","event":"E"}',
  ],
];

describe('hostile content at /v1', () => {
  it.each(hostileItems)('quarantines an item with %s and stores the good items of its batch', async (_, item) => {
    const tag = `hb-${Math.random().toString(36).slice(2, 8)}-`;
    const response = await post('/v1/batch', `{"batch":[${good(`${tag}1`)},${item},${good(`${tag}2`)}]}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ success: false, accepted: 2 });
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ index: 1, code: 'invalid_message' });
    expect(await storedIds(tag)).toEqual([`${tag}1`, `${tag}2`]);
  });

  it('keeps what was sent in quarantine, escapes included, and quarantines a resent item once', async () => {
    const item = '{"type":"track","userId":"h2","messageId":"h-kept","event":"E","properties":{"plan":"pro\\u0000"}}';
    await post('/v1/batch', `{"batch":[${item}]}`);
    await post('/v1/batch', `{"batch":[${item}]}`);
    const rows = await t.db
      .selectFrom('quarantine')
      .select(['reason', 'payload'])
      .where('message_id', '=', 'h-kept')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.reason).toContain('`properties.plan` contains the NUL character');
    const payload = rows[0]?.payload as { json: string } | undefined;
    expect(JSON.parse(payload?.json ?? 'null')).toEqual(JSON.parse(item));
  });

  it('answers a single call with NUL content 400 with the fix, not 500', async () => {
    const response = await post('/v1/track', '{"userId":"h3","event":"Pricing\\u0000Viewed"}');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('`event` contains the NUL character (\\u0000)');
  });

  it('never rounds two different large numeric ids into one contact', async () => {
    const response = await post(
      '/v1/batch',
      '{"batch":[{"type":"identify","userId":123456789012345678901,"messageId":"h-big-1"},{"type":"identify","userId":123456789012345678902,"messageId":"h-big-2"},{"type":"identify","userId":9007199254740991,"messageId":"h-big-ok"}]}',
    );
    const body = response.json();
    expect(body.accepted).toBe(1);
    expect(body.errors.map((error: { index: number }) => error.index)).toEqual([0, 1]);
    expect(body.errors[0].message).toContain('send it as a string');
    const contact = await t.db
      .selectFrom('contacts')
      .select('user_id')
      .where('user_id', '=', '9007199254740991')
      .execute();
    expect(contact).toHaveLength(1);
  });

  it('never answers 5xx, whatever JSON or Unicode is in any field of any message type', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('\0', '\ud800', '\udfff', 'a\0b', '\udc00\ud800', '', ' '),
    );
    const anyJson = fc.oneof(
      { depthSize: 'small' },
      text,
      fc.jsonValue({ maxDepth: 3 }),
      fc.dictionary(text, fc.oneof(text, fc.jsonValue({ maxDepth: 2 })), { maxKeys: 4 }),
      fc.constant(null),
      fc.double(),
      fc.bigInt({ min: 10n ** 17n, max: 10n ** 31n }).map(Number),
    );
    const fields = ['type', 'userId', 'anonymousId', 'messageId', 'event', 'name', 'groupId', 'timestamp', 'sentAt'];
    const message = fc.record(
      {
        ...Object.fromEntries(fields.map((field) => [field, anyJson])),
        properties: anyJson,
        traits: anyJson,
        context: anyJson,
      },
      { requiredKeys: [] },
    );
    const item = fc.oneof(message, anyJson);
    const path = fc.constantFrom('/v1/track', '/v1/identify', '/v1/page', '/v1/group');
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 5 }), path, async (batch, single) => {
        const asBatch = await post('/v1/batch', JSON.stringify({ batch }));
        expect(asBatch.statusCode, asBatch.body).toBeLessThan(500);
        const first = batch[0];
        const alone = await post(single, JSON.stringify(first) ?? 'null');
        expect(alone.statusCode, alone.body).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});
