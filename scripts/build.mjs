#!/usr/bin/env node
// Compiles the CLI and server into one ES module, dist/ripen.mjs, so the long-running server
// starts without a TypeScript loader (less memory, no loader thread). Dependencies stay
// external: they load from node_modules as usual. `npm start` runs this first and starts the
// server with a bounded old-generation heap (without a limit V8 lets garbage grow the heap
// well past the live data before collecting) and one V8 background thread (with more,
// WebAssembly tier-up compilation grew glibc's per-thread malloc arenas at random). Figures
// and the reasoning: docs/benchmarks.md and decision 0007.
// `node --max-old-space-size=N dist/ripen.mjs serve` gives a server more.
// Then the web app (src/web, React) is built with Vite into dist/web, which the server serves.
// `--server-only` skips it (benchmarks, which do not use the web app).
// The browser snippet (src/snippet) is built into dist/snippet with a content hash in its name.
import { build as buildWeb } from 'vite';
import { buildCli } from './build-cli.mjs';
import { buildSnippet } from './build-snippet.mjs';

await buildCli(new URL('../dist/ripen.mjs', import.meta.url).pathname);

await buildSnippet();

if (!process.argv.includes('--server-only')) {
  await buildWeb({
    configFile: new URL('../src/web/vite.config.ts', import.meta.url).pathname,
    logLevel: 'warn',
  });
}
