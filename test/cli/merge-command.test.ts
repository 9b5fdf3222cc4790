import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { freshDataDir, ripen } from './run-ripen.ts';

describe('ripen merge and ripen unmerge', () => {
  it('merges a second contact into a first, finds it by its old email afterwards, and undoes the merge', () => {
    const dataDir = freshDataDir('merge');
    expect(ripen(dataDir, 'demo', '--contacts', '10', '--seed', '5', '--crm-deals', '0').status).toBe(0);
    const rows = parse(ripen(dataDir, 'export', 'contacts').stdout, { columns: true }) as Array<Record<string, string>>;
    const [into, merged] = rows.map((row) => row.email ?? '').filter((email) => email.includes('@'));
    expect(into && merged).toBeTruthy();

    const unknown = ripen(dataDir, 'merge', into as string, 'nobody@example.net');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('no contact with email nobody@example.net');

    const done = ripen(dataDir, 'merge', into as string, merged as string, '--reason', 'same person');
    expect(done.status).toBe(0);
    expect(done.stdout).toMatch(
      /merged .* \(\d+ events, \d+ devices and \d+ outcomes moved\); undo with: ripen unmerge /,
    );
    const mergeId = /ripen unmerge (\S+)/.exec(done.stdout)?.[1] ?? '';
    expect(parse(ripen(dataDir, 'export', 'contacts').stdout, { columns: true })).toHaveLength(9);
    // The merged email now names the survivor.
    const byOldEmail = ripen(dataDir, 'export', 'contact', merged as string);
    expect(JSON.parse(byOldEmail.stdout).contact.email).toBe(into);
    const twice = ripen(dataDir, 'merge', into as string, merged as string);
    expect(twice.status).not.toBe(0);
    expect(twice.stderr).toContain('merged before');

    const undone = ripen(dataDir, 'unmerge', mergeId);
    expect(undone.status).toBe(0);
    expect(undone.stdout).toContain(`${merged} is its own contact again`);
    expect(parse(ripen(dataDir, 'export', 'contacts').stdout, { columns: true })).toHaveLength(10);
    const again = ripen(dataDir, 'unmerge', mergeId);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('already undone');
  });
});
