// Builds the browser snippet (src/snippet) into one minified script named after its content
// hash, `ripen.<hash>.js`, and `snippet.json` naming it: the server serves the file for a year
// (immutable) and reads the manifest to know the current URL. docs/snippet.md.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

/** The folder `npm run build` writes the snippet to, beside the web app. */
export const SNIPPET_DIST = new URL('../dist/snippet', import.meta.url).pathname;

/**
 * Builds src/snippet/ripen.ts into `outDir` (replacing what an earlier build left there).
 * @param {string} outDir
 * @returns {Promise<{ file: string; path: string }>}
 */
export async function buildSnippet(outDir = SNIPPET_DIST) {
  mkdirSync(outDir, { recursive: true });
  for (const name of readdirSync(outDir)) {
    if (/^ripen\.[\w-]+\.js$/.test(name) || name === 'snippet.json') rmSync(join(outDir, name));
  }
  const result = await build({
    entryPoints: [new URL('../src/snippet/ripen.ts', import.meta.url).pathname],
    outdir: outDir,
    entryNames: 'ripen.[hash]',
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const path = Object.keys(result.metafile.outputs).find((output) => output.endsWith('.js'));
  if (path === undefined) throw new Error('esbuild wrote no snippet script');
  const file = basename(path);
  writeFileSync(join(outDir, 'snippet.json'), `${JSON.stringify({ file })}\n`);
  return { file, path: join(outDir, file) };
}
