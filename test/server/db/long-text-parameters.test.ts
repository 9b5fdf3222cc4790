import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../helpers/test-database.ts';

// On PGlite, strings from 256 characters on go to text, varchar, json and jsonb parameters as
// UTF-8 bytes in binary format (pglite-dialect.ts); on PostgreSQL as text. Both must store
// exactly what was sent, on either side of that length.
const database = useTestDatabase();

/** Any Unicode text PostgreSQL can store: no NUL, no unpaired surrogate halves. */
const storableText = (minLength: number, maxLength: number) =>
  fc.string({ unit: 'binary', minLength, maxLength }).filter((text) => !text.includes('\u0000'));

describe('long text and JSON parameters', () => {
  it('come back unchanged from text and varchar, short or long, in any script', async () => {
    await fc.assert(
      fc.asyncProperty(storableText(0, 700), async (text) => {
        const result = await sql<{ t: string; v: string; characters: number; same: boolean }>`
          select ${text}::text as t, ${text}::varchar as v, length(${text}::text) as characters,
            ${text}::text = ${text} as same`.execute(database().db);
        const row = result.rows[0];
        expect(row?.t).toBe(text);
        expect(row?.v).toBe(text);
        expect(row?.characters).toBe([...text].length);
        expect(row?.same).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('come back unchanged from json and jsonb, as text and as values', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(storableText(1, 20), fc.oneof(storableText(0, 300), fc.integer(), fc.boolean()), {
          maxKeys: 12,
        }),
        async (object) => {
          const text = JSON.stringify(object);
          const result = await sql<{ j: unknown; jb: unknown; jtext: string; keys: number }>`
            select ${text}::json as j, ${text}::jsonb as jb, ${text}::json::text as jtext,
              (select count(*)::int from jsonb_object_keys(${text}::jsonb)) as keys`.execute(database().db);
          const row = result.rows[0];
          expect(row?.j).toEqual(object);
          expect(row?.jb).toEqual(object);
          expect(row?.jtext).toBe(text); // json keeps the text as sent
          expect(row?.keys).toBe(Object.keys(object).length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('store a long multi-byte JSON document in a table and read it back', async () => {
    const db = database().db;
    const value = { note: 'é😀\\"\n'.repeat(400), nested: { list: ['ü'.repeat(300), 1, null, true] } };
    await sql`create temporary table long_parameters (doc jsonb not null, body text not null)`.execute(db);
    try {
      await sql`insert into long_parameters (doc, body) values (${JSON.stringify(value)}::jsonb, ${value.note})`.execute(
        db,
      );
      const rows = await sql<{ doc: unknown; body: string; bytes: number }>`
        select doc, body, octet_length(body) as bytes from long_parameters`.execute(db);
      expect(rows.rows).toEqual([{ doc: value, body: value.note, bytes: Buffer.byteLength(value.note) }]);
    } finally {
      await sql`drop table long_parameters`.execute(db);
    }
  });
});
