// Compiles the CLI and server (src/cli/main.ts) into one ES module with esbuild. Dependencies
// stay external, so the file must sit inside the package folder to find node_modules; files it
// reads at run time (playbooks/default.yaml, dist/web) are found by walking up to package.json.
// Used by scripts/build.mjs (dist/ripen.mjs) and by the tests, which run the CLI as users do.
import { build } from 'esbuild';

export async function buildCli(outfile) {
  await build({
    entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    packages: 'external',
    logLevel: 'warning',
  });
}
