import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../http/fastify-types.ts';

/** Paths the API, ingestion and docs own: an unknown one there is a 404, never the app. */
const NOT_THE_APP = ['/api/', '/v1/', '/docs', '/openapi.json', '/health', '/assets/', '/snippet/'];

/** index.html's placeholder for the response's CSP style nonce (src/web/index.html). */
const NONCE_PLACEHOLDER = '__CSP_NONCE__';

let cachedIndex: { path: string; mtimeMs: number; html: string } | null = null;

/** index.html, read again only when a new build replaced it. */
function readIndex(root: string): string {
  const path = join(root, 'index.html');
  const { mtimeMs } = statSync(path);
  if (cachedIndex === null || cachedIndex.path !== path || cachedIndex.mtimeMs !== mtimeMs) {
    cachedIndex = { path, mtimeMs, html: readFileSync(path, 'utf8') };
  }
  return cachedIndex.html;
}

/** Built files have content hashes in their names, so they may be cached for a year. */
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The folder `npm run build` writes the web app to: dist/web under the package root, found by
 * walking up from this module (the same from src/ under tsx and from the bundled dist/ripen.mjs).
 */
export function defaultWebRoot(from: string = fileURLToPath(import.meta.url)): string {
  let folder = dirname(from);
  for (;;) {
    if (existsSync(join(folder, 'package.json'))) return join(folder, 'dist', 'web');
    const parent = dirname(folder);
    if (parent === folder) return join(dirname(from), 'web');
    folder = parent;
  }
}

function wantsPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '/';
  if (NOT_THE_APP.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix))) return false;
  const accept = request.headers.accept ?? '';
  return accept === '' || accept.includes('text/html') || accept.includes('*/*');
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Ripen</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>The web app is not built yet</h1>
<p>Run <code>npm run build</code> (or start with <code>npm start</code>, which builds it), then reload.
For development with hot reload run <code>npm run dev</code> beside this server.</p>
<p>The API works without it: <a href="/docs">API reference</a>.</p></body></html>`;

/**
 * Serves the web app from `root`: hashed assets with long caching, and index.html (never
 * cached, so a deploy shows at once) for every page path the client-side router owns.
 * Returns the not-found handler's page fallback: true when it answered.
 */
export async function serveWebApp(
  app: App,
  root: string,
): Promise<(request: FastifyRequest, reply: FastifyReply) => boolean> {
  const built = () => existsSync(join(root, 'index.html'));
  const assets = join(root, 'assets');
  if (existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      // Only the hashed build output is served as files; pages go through the fallback below.
      wildcard: true,
      index: false,
      decorateReply: false,
      maxAge: ONE_YEAR_MS,
      immutable: true,
    });
  }
  return (request, reply) => {
    if (!wantsPage(request)) return false;
    if (!built()) {
      void reply.status(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
      return true;
    }
    // The page carries this response's style nonce, for code that must inject a <style>.
    const nonce = (reply as FastifyReply & { cspNonce?: { style: string } | null }).cspNonce?.style ?? '';
    void reply
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(readIndex(root).replace(NONCE_PLACEHOLDER, nonce));
    return true;
  };
}
