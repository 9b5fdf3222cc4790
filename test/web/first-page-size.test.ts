import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';

/** The budget for JavaScript loaded by the first page, gzipped (issue 13: ≤ 250 KB). */
const BUDGET_BYTES = 250 * 1024;

/** The scripts index.html loads: the entry and the chunks it preloads (lazy chunks load later, on demand). */
function firstPageScripts(webRoot: string): string[] {
  const html = readFileSync(join(webRoot, 'index.html'), 'utf8');
  const sources = [
    ...html.matchAll(/<script[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ];
  return sources.map((match) => match[1] ?? '').filter((source) => source.endsWith('.js'));
}

describe('the web app build', () => {
  it(`loads at most ${BUDGET_BYTES / 1024} KB of gzipped JavaScript on the first page`, () => {
    const webRoot = inject('webRoot');
    const scripts = firstPageScripts(webRoot);
    expect(scripts.length).toBeGreaterThan(0);
    const sizes = scripts.map((source) => gzipSync(readFileSync(join(webRoot, source)), { level: 9 }).length);
    const total = sizes.reduce((sum, size) => sum + size, 0);
    console.log(`first page JavaScript: ${(total / 1024).toFixed(1)} KB gzipped in ${scripts.length} file(s)`);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('loads no script inline (the Content-Security-Policy allows none)', () => {
    const html = readFileSync(join(inject('webRoot'), 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});
