/** The folder `npm run build` writes the snippet to, beside the web app. */
export const SNIPPET_DIST: string;

/** Builds src/snippet/ripen.ts into `outDir`: `ripen.<hash>.js` and `snippet.json` naming it. */
export function buildSnippet(outDir?: string): Promise<{ file: string; path: string }>;
