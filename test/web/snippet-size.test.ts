import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';

/** The browser snippet's budget, gzipped (issue 14: ≤ 5 KB). */
const BUDGET_BYTES = 5 * 1024;

describe('the browser snippet build', () => {
  it(`is at most ${BUDGET_BYTES / 1024} KB gzipped, one self-contained script`, () => {
    const root = inject('snippetRoot');
    const { file } = JSON.parse(readFileSync(join(root, 'snippet.json'), 'utf8'));
    const source = readFileSync(join(root, file));
    const size = gzipSync(source, { level: 9 }).length;
    console.log(`browser snippet: ${(size / 1024).toFixed(2)} KB gzipped (${source.length} bytes minified)`);
    expect(size).toBeLessThanOrEqual(BUDGET_BYTES);
    // No imports or loaders: it runs as a classic script on any page.
    expect(source.toString()).not.toMatch(/\bimport\s*[({'"]|\brequire\(/);
  });
});
