import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { buildCli } from '../scripts/build-cli.mjs';
import { buildSnippet } from '../scripts/build-snippet.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The web app built from this checkout for this run (test/browser, the size check). */
    webRoot: string;
    /** The browser snippet built from this checkout for this run (test/browser, its size check). */
    snippetRoot: string;
    /** The CLI bundled from this checkout for this run, as `npm start` runs it (test/cli). */
    cliBundle: string;
  }
}

/** Builds the web app once per run into a folder of its own, so tests never race a developer's dist/web. */
export default async function setup(project: TestProject) {
  const webRoot = mkdtempSync(join(tmpdir(), 'ripen-web-'));
  // The same production build users get (vitest sets NODE_ENV=test, which would select
  // React's development build).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: new URL('../src/web/vite.config.ts', import.meta.url).pathname,
      mode: 'production',
      build: { outDir: webRoot, emptyOutDir: true },
      logLevel: 'warn',
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  project.provide('webRoot', webRoot);
  const snippetRoot = mkdtempSync(join(tmpdir(), 'ripen-snippet-'));
  await buildSnippet(snippetRoot);
  project.provide('snippetRoot', snippetRoot);
  // Inside the package, so that its imports find node_modules.
  const cache = new URL('../node_modules/.cache/', import.meta.url).pathname;
  mkdirSync(cache, { recursive: true });
  const cliFolder = mkdtempSync(join(cache, 'ripen-cli-'));
  const cliBundle = join(cliFolder, 'ripen.mjs');
  await buildCli(cliBundle);
  project.provide('cliBundle', cliBundle);
  return () => {
    rmSync(cliFolder, { recursive: true, force: true });
    rmSync(webRoot, { recursive: true, force: true });
    rmSync(snippetRoot, { recursive: true, force: true });
  };
}
