import type { Config } from '../../server/config.ts';
import { loadDemo } from '../../server/demo/load-demo.ts';
import { bootstrapWorkspace } from '../../server/workspaces/bootstrap-workspace.ts';
import { cliIngestDeps, describeDatabase, openConfiguredDatabase } from '../open-from-config.ts';

export async function runDemo(
  config: Config,
  options: { contacts: number; seed: number; months: number },
): Promise<void> {
  if (options.contacts < 1 || options.contacts > 1_000_000)
    throw new Error(`--contacts must be between 1 and 1,000,000, got ${options.contacts}`);
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await bootstrapWorkspace(database.db);
    const started = Date.now();
    const deps = cliIngestDeps(database);
    const result = await loadDemo(deps, workspaceId, options, true);
    await deps.scoring.drain();
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `loaded ${result.contacts} contacts and ${result.messages} events into ${describeDatabase(config)} in ${seconds.toFixed(1)} s\n`,
    );
  } finally {
    await database.close();
  }
}
