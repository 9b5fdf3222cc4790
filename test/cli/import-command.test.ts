import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ripen as run } from './run-ripen.ts';

const dir = mkdtempSync(join(tmpdir(), 'ripen-cli-import-'));

const ripen = (...args: string[]) => run(join(dir, 'data'), ...args);

describe('ripen import', () => {
  it('imports a CSV with a mapping, reports bad rows as file:line, and changes nothing on a re-run', () => {
    const file = join(dir, 'people.csv');
    writeFileSync(file, 'Mail,Title\nann@acme.io,VP Marketing\nnot-an-email,Engineer\n');
    const first = ripen('import', 'contacts', file, '--map', 'email=Mail', 'jobTitle=Title');
    expect(first.stdout).toContain('2 rows: 1 imported, 0 already there, 1 bad');
    expect(first.stderr).toContain(`${file}:3: \`traits.email\` must be an email address`);
    expect(first.status).toBe(1);
    const again = ripen('import', 'contacts', file, '--map', 'email=Mail', 'jobTitle=Title');
    expect(again.stdout).toContain('2 rows: 0 imported, 1 already there, 1 bad');
    const wrongKind = ripen('import', 'deals', file);
    expect(wrongKind.stderr).toContain('import kind must be one of contacts, companies, events, outcomes, got `deals`');
  });
});
