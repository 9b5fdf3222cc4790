import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.ts';
import { defaultWebRoot } from '../../../src/server/web/serve-web-app.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function fakeBuild(): string {
  const root = mkdtempSync(join(tmpdir(), 'ripen-web-test-'));
  roots.push(root);
  mkdirSync(join(root, 'assets'));
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><title>Ripen</title><meta name="csp-nonce" content="__CSP_NONCE__"><script type="module" src="/assets/app-1.js"></script>',
  );
  writeFileSync(join(root, 'assets', 'app-1.js'), 'console.log(1)');
  return root;
}

async function appServing(webRoot: string) {
  const database = await openTestDatabase();
  const { app } = await buildApp({ db: database.db, dbKind: database.kind, webRoot });
  return {
    app,
    async close() {
      await app.close();
      await database.dispose();
    },
  };
}

describe('serving the web app', () => {
  it('answers every page path with index.html under a strict Content-Security-Policy', async () => {
    const { app, close } = await appServing(fakeBuild());
    try {
      for (const url of ['/', '/leads', '/leads/5d3c2a1b-0000-4000-8000-000000000000?tab=x', '/inbox']) {
        const response = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
        expect(response.statusCode, url).toBe(200);
        expect(response.body).toContain('<title>Ripen</title>');
        expect(response.headers['cache-control']).toBe('no-cache');
        const csp = String(response.headers['content-security-policy']);
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
        expect(csp).toContain("frame-ancestors 'none'");
        expect(response.headers['x-frame-options']).toBe('DENY');
        // The page hands this response's style nonce to code that injects styles (the editor).
        const nonce = response.body.match(/name="csp-nonce" content="([0-9a-f]{32})"/)?.[1];
        expect(nonce, `${url}: ${response.body.slice(0, 120)}`).toBeDefined();
        expect(csp).toMatch(new RegExp(`style-src 'self' 'nonce-${nonce}'`));
      }
    } finally {
      await close();
    }
  });

  it('serves hashed assets for a year, and unknown API paths and assets stay 404s', async () => {
    const { app, close } = await appServing(fakeBuild());
    try {
      const asset = await app.inject({ method: 'GET', url: '/assets/app-1.js' });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      expect((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);
      const api = await app.inject({ method: 'GET', url: '/api/nothing', headers: { accept: 'text/html' } });
      expect(api.statusCode).toBe(404);
      expect(api.json().error.code).toBe('not_found');
      const post = await app.inject({ method: 'POST', url: '/leads', headers: { accept: 'text/html' } });
      expect(post.statusCode).toBe(404);
    } finally {
      await close();
    }
  });

  it('says how to build the app when it has not been built', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ripen-web-empty-'));
    roots.push(root);
    const { app, close } = await appServing(root);
    try {
      const response = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
      expect(response.statusCode).toBe(503);
      expect(response.body).toContain('npm run build');
    } finally {
      await close();
    }
  });

  it('finds dist/web under the package root from any module inside it', () => {
    expect(defaultWebRoot('/work/main/src/server/web/serve-web-app.ts')).toMatch(/dist[/\\]web$/);
  });
});
