import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { exportContacts } from '../../../src/server/contacts/export-contacts.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

async function exported(filters: Parameters<typeof exportContacts>[2], pageSize?: number) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const written = await exportContacts(t.db, t.workspaceId, filters, out, pageSize);
  const rows = parse(Buffer.concat(chunks).toString('utf8'), { columns: true }) as Array<Record<string, string>>;
  return { written, rows };
}

describe('ripen export contacts', () => {
  it('writes every contact once, best first, across pages, with scores, stage and properties', async () => {
    const batch = Array.from({ length: 12 }, (_, i) => ({
      type: 'identify',
      userId: `export-${i}`,
      traits: { email: `p${i}@export.example`, jobTitle: i % 2 ? 'VP Marketing' : 'Intern', plan: `plan-${i % 3}` },
    }));
    batch.push({
      type: 'identify',
      userId: 'export-formula',
      traits: { email: 'f@export.example', jobTitle: '=HYPERLINK("http://evil.example","x")', plan: '+1' },
    });
    await t.send('/v1/batch', { batch: [...batch, { type: 'track', userId: 'export-3', event: 'Demo Requested' }] });
    const { written, rows } = await exported({}, 5);
    expect(written).toBe(13);
    expect(new Set(rows.map((row) => row.userId)).size).toBe(13);
    const scores = rows.map((row) => Number(row.score));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const listed = (await t.get('/api/contacts?q=export-3')).json().items[0];
    const three = rows.find((row) => row.userId === 'export-3');
    expect(three).toMatchObject({
      stage: listed.stage,
      grade: listed.grade,
      temperature: listed.temperature,
      score: String(listed.score),
      fit: String(listed.fit),
      plan: 'plan-0',
    });
    expect(three?.stage).toBe('mql');
    // A spreadsheet must not run what a stranger typed.
    const formula = rows.find((row) => row.userId === 'export-formula');
    expect(formula?.jobTitle).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(formula?.plan).toBe("'+1");
  });

  it('applies the list filters', async () => {
    const { rows } = await exported({ stage: 'mql' });
    expect(rows.map((row) => row.userId)).toEqual(['export-3']);
  });
});
