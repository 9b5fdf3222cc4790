#!/usr/bin/env node
// Compiles the CLI and server into one ES module, dist/ripen.mjs, so the long-running server
// starts without a TypeScript loader (about 45 MB less memory and no loader thread).
// Dependencies stay external: they load from node_modules as usual. `npm start` runs this first
// and starts the server with a 256 MB old-generation heap (its live heap stays under 70 MB at
// full ingestion load, and without a limit V8 let garbage grow the heap to 170 MB before
// collecting) and one V8 background thread (with four, WebAssembly tier-up compilation in
// background threads grew glibc malloc arenas by up to 40 MB at random). Figures in
// docs/benchmarks.md. `node --max-old-space-size=N dist/ripen.mjs serve` gives a server more.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outfile: new URL('../dist/ripen.mjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  packages: 'external',
  logLevel: 'warning',
});
