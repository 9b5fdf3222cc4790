import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { freshDataDir, ripen } from './run-ripen.ts';

describe('ripen export contacts', () => {
  it('writes CSV to stdout, and refuses an unknown filter value saying which are valid', () => {
    const dataDir = freshDataDir('export');
    expect(ripen(dataDir, 'demo', '--contacts', '20', '--seed', '4', '--crm-deals', '0').status).toBe(0);
    const all = ripen(dataDir, 'export', 'contacts');
    expect(all.status).toBe(0);
    const rows = parse(all.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(20);
    expect(Object.keys(rows[0] ?? {})).toEqual(expect.arrayContaining(['email', 'stage', 'fit', 'score', 'grade']));
    expect(all.stderr).toContain('exported 20 contacts');
    const bad = ripen(dataDir, 'export', 'contacts', '--grade', 'Z');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--grade must be one of A, B, C, D, got `Z`');
  });
});
