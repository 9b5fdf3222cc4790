import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  jsonBytesAtMost,
  MAX_EVENT_BYTES,
  MAX_EVENT_DEPTH,
  validateMessages,
} from '../../../src/server/events/accept-messages.ts';

describe('the size bound that spares serialising each message', () => {
  it('is never below the serialised size in UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const bytes = Buffer.byteLength(JSON.stringify(value));
        const bound = jsonBytesAtMost(value, Number.POSITIVE_INFINITY);
        expect(bound).toBeGreaterThanOrEqual(bytes);
      }),
      { numRuns: 5000 },
    );
  });

  it('holds for the longest numbers, and for text that JSON escapes or UTF-8 widens', () => {
    expect(jsonBytesAtMost(-0.0000012187891753540002, Number.POSITIVE_INFINITY)).toBeGreaterThanOrEqual(
      JSON.stringify(-0.0000012187891753540002).length,
    );
    for (const text of ['\u0001\u001f"\\', '\u{1F600}é漢', '\n\t\r']) {
      const value = { [text]: [text, { text }] };
      expect(jsonBytesAtMost(value, Number.POSITIVE_INFINITY)).toBeGreaterThanOrEqual(
        Buffer.byteLength(JSON.stringify(value)),
      );
    }
  });

  it('still rejects a message over 32 KB only once it is serialised, with its exact size', () => {
    // Control characters take six bytes each when serialised: under the limit in characters, over it in bytes.
    const properties = { note: '\u0001'.repeat(6000) };
    const { valid, errors } = validateMessages(
      [
        { type: 'track', event: 'Noted', userId: 'u1', messageId: 'm1', properties },
        { type: 'track', event: 'Noted', userId: 'u1', messageId: 'm2', properties: { note: 'é'.repeat(10_000) } },
      ],
      null,
      Date.now(),
      'api',
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ index: 0, code: 'event_too_large' });
    const size = Buffer.byteLength(
      JSON.stringify({ type: 'track', event: 'Noted', userId: 'u1', messageId: 'm1', properties }),
    );
    expect(size).toBeGreaterThan(MAX_EVENT_BYTES);
    expect(errors[0]?.message).toContain(`message is ${size} bytes`);
    expect(valid.map((message) => message.messageId)).toEqual(['m2']);
  });

  it('refuses a message nested too deeply with an error that says so, and keeps the others', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 10_000; level++) deep = { level: deep };
    const { valid, errors } = validateMessages(
      [
        { type: 'track', event: 'Deep', userId: 'u1', messageId: 'deep', properties: { deep } },
        { type: 'track', event: 'Shallow', userId: 'u1', messageId: 'shallow', properties: { a: { b: { c: 1 } } } },
      ],
      null,
      Date.now(),
      'api',
    );
    expect(errors).toEqual([
      {
        index: 0,
        messageId: 'deep',
        code: 'invalid_message',
        message: `message nests objects or arrays more than ${MAX_EVENT_DEPTH} levels deep`,
      },
    ]);
    expect(valid.map((message) => message.messageId)).toEqual(['shallow']);
  });
});
