import { loadDemo } from '../../demo/load-demo.ts';
import { createTimeTravel } from '../../demo/time-travel.ts';
import type { Config } from '../../server/config.ts';
import { announceNewWorkspace, openFirstWorkspace } from '../first-workspace.ts';
import { cliIngestDeps, describeDatabase, openConfiguredDatabase } from '../open-from-config.ts';
import { drainScoringWithProgress, progressBar } from '../progress.ts';

export async function runDemo(
  config: Config,
  options: { contacts: number; seed: number; months: number; crmDeals: number },
): Promise<void> {
  if (options.contacts < 1 || options.contacts > 1_000_000)
    throw new Error(`--contacts must be between 1 and 1,000,000, got ${options.contacts}`);
  // The demo can be loaded again: it need not wait for the disk at each of its many commits.
  const database = await openConfiguredDatabase(config, { durableCommits: false });
  try {
    const first = await openFirstWorkspace(database.db, config);
    announceNewWorkspace(first);
    const { workspaceId } = first;
    const started = Date.now();
    const time = createTimeTravel();
    const deps = { ...cliIngestDeps(database, undefined, time.clock), travelTo: time.travelTo };
    const bar = progressBar('demo [{bar}] {value}/{total} contacts');
    bar.start(options.contacts, 0);
    const result = await loadDemo(deps, workspaceId, options, (contacts) => bar.update(contacts));
    bar.stop();
    await drainScoringWithProgress(database.db, deps.scoring);
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `loaded ${result.contacts} contacts and ${result.messages} events` +
        (result.crmDeals > 0 ? `, and ${result.crmDeals} earlier deals imported from a CRM,` : '') +
        ` into ${describeDatabase(config)} in ${seconds.toFixed(1)} s\n`,
    );
  } finally {
    await database.close();
  }
}
