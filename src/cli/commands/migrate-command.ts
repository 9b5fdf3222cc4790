import type { Config } from '../../server/config.ts';
import { announceNewWorkspace, openFirstWorkspace } from '../first-workspace.ts';
import { describeDatabase, openConfiguredDatabase } from '../open-from-config.ts';

export async function runMigrate(config: Config): Promise<void> {
  const database = await openConfiguredDatabase(config);
  try {
    process.stdout.write(`migrations applied: ${describeDatabase(config)} is up to date\n`);
    announceNewWorkspace(await openFirstWorkspace(database.db, config));
  } finally {
    await database.close();
  }
}
