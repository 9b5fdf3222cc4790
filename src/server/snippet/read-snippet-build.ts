import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaultWebRoot } from '../web/serve-web-app.ts';

/** The built snippet: its file name (with the content hash) and its source. */
export interface SnippetBuild {
  file: string;
  source: Buffer;
}

/** The folder `npm run build` writes the snippet to: dist/snippet, beside dist/web. */
export function defaultSnippetRoot(): string {
  return join(dirname(defaultWebRoot()), 'snippet');
}

/**
 * Reads the snippet `scripts/build-snippet.mjs` built into `root`, again only when a new build
 * replaced its manifest; null when it has not been built.
 */
export function createSnippetReader(root: string): () => SnippetBuild | null {
  let cached: { mtimeMs: number; build: SnippetBuild } | null = null;
  return () => {
    const manifest = join(root, 'snippet.json');
    let mtimeMs: number;
    try {
      mtimeMs = statSync(manifest).mtimeMs;
    } catch {
      return null;
    }
    if (cached === null || cached.mtimeMs !== mtimeMs) {
      const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
      const file = parsed !== null && typeof parsed === 'object' && 'file' in parsed ? parsed.file : undefined;
      if (typeof file !== 'string' || !/^ripen\.[\w-]+\.js$/.test(file)) {
        throw new Error(`${manifest} names no snippet script; run \`npm run build\``);
      }
      cached = { mtimeMs, build: { file, source: readFileSync(join(root, file)) } };
    }
    return cached.build;
  };
}
