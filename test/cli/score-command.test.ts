import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/open-database.ts';
import { ripen as run } from './run-ripen.ts';

const dataDir = join(mkdtempSync(join(tmpdir(), 'ripen-cli-score-')), 'data');

const ripen = (...args: string[]) => run(dataDir, ...args);

describe('ripen demo and ripen score --explain', () => {
  it('loads a small funnel and explains a contact line by line, the lines summing to the totals', async () => {
    const demo = ripen('demo', '--contacts', '20', '--seed', '5', '--crm-deals', '25');
    expect(demo.stderr).not.toContain('ripen:');
    expect(demo.stdout).toMatch(/loaded 20 contacts and \d+ events, and 25 earlier deals imported from a CRM, into/);
    expect(demo.status).toBe(0);

    const database = await openDatabase({ kind: 'pglite', dataDir });
    // The CRM's deals arrive as outcomes, as `serve --demo` imports them.
    const decided = await database.db
      .selectFrom('outcomes')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('kind', 'in', ['won', 'lost'])
      .executeTakeFirstOrThrow();
    expect(Number(decided.n)).toBeGreaterThanOrEqual(25);
    const hottest = await database.db
      .selectFrom('contacts')
      .select(['email', 'fit', 'engagement'])
      .where('email', 'is not', null)
      .orderBy('engagement', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await database.close();

    const text = ripen('score', String(hottest.email), '--explain');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`fit ${(hottest.fit / 100).toFixed(2)}`);
    expect(text.stdout).toContain('Engagement:');
    const json = ripen('score', String(hottest.email), '--json');
    const view = JSON.parse(json.stdout);
    const sum = (lines: Array<{ points: number }>) =>
      Math.round(lines.reduce((total, line) => total + line.points * 100, 0));
    expect(sum(view.fit.lines)).toBe(hottest.fit);
    expect(sum(view.engagement.lines)).toBe(Math.round(view.engagement.points * 100));

    const missing = ripen('score', 'nobody@nowhere.example');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no contact with email nobody@nowhere.example');
  });
});
