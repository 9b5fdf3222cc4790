import type { Config } from '../../server/config.ts';
import { describeDatabase, openConfiguredDatabase } from '../open-from-config.ts';

export async function runMigrate(config: Config): Promise<void> {
  const database = await openConfiguredDatabase(config);
  await database.close();
  process.stdout.write(`migrations applied: ${describeDatabase(config)} is up to date\n`);
}
