/** Bundles src/cli/main.ts into `outfile` (an ES module; keep it inside the package folder). */
export function buildCli(outfile: string): Promise<void>;
