import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey } from '../../../src/server/workspaces/api-keys.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let file = '';

beforeAll(async () => {
  t = await startTestApp(undefined, { snippetRoot: inject('snippetRoot') });
  file = JSON.parse(readFileSync(join(inject('snippetRoot'), 'snippet.json'), 'utf8')).file;
});
afterAll(() => t.close());

describe('serving the browser snippet', () => {
  it('serves the versioned script for a year, loadable from any website', async () => {
    expect(file).toMatch(/^ripen\.[\w-]+\.js$/);
    const response = await t.app.inject({ method: 'GET', url: `/snippet/${file}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['cross-origin-embedder-policy']).toBeUndefined();
    expect(response.body).toBe(readFileSync(join(inject('snippetRoot'), file), 'utf8'));
  });

  it('serves an unversioned alias, and sends older versions’ URLs to the current one, for five minutes', async () => {
    const alias = await t.app.inject({ method: 'GET', url: '/snippet/ripen.js' });
    expect(alias.statusCode).toBe(200);
    expect(alias.headers['cache-control']).toBe('public, max-age=300');
    const old = await t.app.inject({ method: 'GET', url: '/snippet/ripen.OLDHASH1.js' });
    expect(old.statusCode).toBe(302);
    expect(old.headers.location).toBe(`/snippet/${file}`);
    expect(old.headers['cache-control']).toBe('public, max-age=300');
    const other = await t.app.inject({ method: 'GET', url: '/snippet/other.js', headers: { accept: 'text/html' } });
    expect(other.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/snippet/a/b.js' })).statusCode).toBe(404);
  });

  it('gives admins the tag to paste for a write key of the workspace, with the privacy options', async () => {
    const { key } = await createApiKey(t.db, t.workspaceId, 'write', 'Website');
    const query = `writeKey=${key}&consent=required&privacySignals=honor`;
    const response = await t.get(`/api/snippet?${query}`);
    expect(response.statusCode).toBe(200);
    const url = `http://localhost:80/snippet/${file}`;
    expect(response.json()).toEqual({
      path: `/snippet/${file}`,
      url,
      tag: `<script async src="${url}" data-write-key="${key}" data-consent="required" data-privacy-signals="honor"></script>`,
    });
    const placeholder = await t.get('/api/snippet');
    expect(placeholder.json().tag).toBe(`<script async src="${url}" data-write-key="YOUR_WRITE_KEY"></script>`);
  });

  it('never puts a secret key in a tag, and answers only admins', async () => {
    const { key } = await createApiKey(t.db, t.workspaceId, 'secret', 'CRM sync');
    const secret = await t.get(`/api/snippet?writeKey=${key}`);
    expect(secret.statusCode).toBe(400);
    expect(secret.json().error.code).toBe('invalid_key');
    const byWriteKey = await t.app.inject({
      method: 'GET',
      url: '/api/snippet',
      headers: { authorization: t.writeAuth },
    });
    expect(byWriteKey.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/snippet' })).statusCode).toBe(401);
  });
});

describe('a server without a built snippet', () => {
  it('says to build it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ripen-no-snippet-'));
    const bare = await startTestApp(undefined, { snippetRoot: empty });
    try {
      const script = await bare.app.inject({ method: 'GET', url: '/snippet/ripen.js' });
      expect(script.statusCode).toBe(404);
      expect(script.json().error.message).toContain('npm run build');
      expect((await bare.get('/api/snippet')).statusCode).toBe(404);
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
