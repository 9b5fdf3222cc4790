import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { CRM_DEALS, loadDemo } from '../../demo/load-demo.ts';
import { createTimeTravel } from '../../demo/time-travel.ts';
import { buildApp } from '../../server/app.ts';
import type { Config } from '../../server/config.ts';
import { hasNoContacts } from '../../server/contacts/list-contacts.ts';
import { resumeRescoring } from '../../server/playbooks/publish-playbook.ts';
import { describeKeys, openFirstWorkspace } from '../first-workspace.ts';
import { cliIngestDeps, describeDatabase, openConfiguredDatabase } from '../open-from-config.ts';
import { drainScoringWithProgress, progressBar } from '../progress.ts';

/**
 * Request log lines carry the method and the path only: query strings can hold search text
 * (an email), and headers hold keys and addresses, none of which may reach the logs.
 */
export function serializeRequest(request: { method?: string; url?: string; id?: unknown }): Record<string, unknown> {
  return { id: request.id, method: request.method, path: request.url?.split('?')[0] };
}

/**
 * Creating a PGlite database (initdb) takes several times the WebAssembly memory that reopening
 * one does, and a process never gives that memory back. So a fresh embedded database is created
 * by a short-lived `ripen migrate` child, and the long-running server only opens it.
 */
function createEmbeddedDatabaseOutOfProcess(config: Config): void {
  if (config.databaseUrl || existsSync(join(config.dataDir, 'PG_VERSION'))) return;
  const script = process.argv[1];
  if (script === undefined) return;
  const result = spawnSync(process.execPath, [...process.execArgv, script, 'migrate'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: process.env,
  });
  if (result.status !== 0) throw new Error(`creating the embedded database in ${config.dataDir} failed (see above)`);
}

export async function runServe(config: Config, options: { demo?: boolean; demoContacts: number }): Promise<void> {
  const log = pino({ level: config.logLevel, serializers: { req: serializeRequest } });
  createEmbeddedDatabaseOutOfProcess(config);
  // Idle connections closed by PostgreSQL are reported as part of the outage they belong to
  // (logged once), or on their own when no outage is noticed (an administrator ending them).
  let reportOutage: (error: unknown) => boolean = () => false;
  const database = await openConfiguredDatabase(config, {
    onIdleError: (error) => {
      if (reportOutage(error)) return;
      log.warn(
        { code: 'code' in error ? error.code : undefined },
        'an idle database connection closed; the pool reconnects',
      );
    },
  });
  const first = await openFirstWorkspace(database.db, config);
  const { app, playbooks, scoring, jobs, webhooks, maintenance, outage } = await buildApp({
    db: database.db,
    dbKind: database.kind,
    logger: log,
    webhookAllowList: config.webhookAllowList,
  });
  reportOutage = outage.report;
  // The demo goes into an empty workspace: on a fresh embedded database the `migrate` child
  // above has just created it.
  if (options.demo && (await hasNoContacts(database.db, first.workspaceId))) {
    process.stdout.write(
      `loading demo data (${options.demoContacts} contacts, and ${CRM_DEALS} earlier deals imported from a CRM) into ${describeDatabase(config)}…\n`,
    );
    const time = createTimeTravel();
    const demo = { ...cliIngestDeps(database, playbooks, time.clock), travelTo: time.travelTo };
    const bar = progressBar('demo [{bar}] {value}/{total} contacts');
    bar.start(options.demoContacts, 0);
    // With the CRM's earlier deals: outcomes for the predictive model and the revenue and funnel figures.
    const story = { contacts: options.demoContacts, seed: 42, months: 6, crmDeals: CRM_DEALS };
    await loadDemo(demo, first.workspaceId, story, (contacts) => bar.update(contacts));
    bar.stop();
    await drainScoringWithProgress(database.db, demo.scoring);
  }
  scoring.start();
  jobs.start();
  webhooks.start();
  maintenance.start(60_000);
  await resumeRescoring({ db: database.db, playbooks, clock: Date.now });
  const address = await app.listen({ host: config.host, port: config.port }).catch(async (error: unknown) => {
    await database.close();
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'EADDRINUSE') {
      throw new Error(
        `port ${config.port} on ${config.host} is already in use; start on another one, e.g. PORT=${config.port + 1} npm start`,
      );
    }
    throw error;
  });
  const { credentials, path } = first;
  const lines = ['', `Ripen is running at ${address}  (${describeDatabase(config)})`, `API reference: ${address}/docs`];
  if (credentials) {
    lines.push(
      ...describeKeys(credentials, path),
      '',
      'Send an event:',
      `  curl -u '${credentials.writeKey}:' -H 'content-type: application/json' \\`,
      `    -d '{"userId":"u-1","event":"Demo Requested","properties":{"plan":"pro"}}' ${address}/v1/track`,
      'See the hottest leads:',
      `  curl -H 'authorization: Bearer ${credentials.secretKey}' '${address}/api/contacts?limit=5'`,
    );
  }
  // Log lines are written asynchronously: flush those already made (startup, listening) so
  // the banner is one block after them, not cut through by them.
  await new Promise<void>((resolve) => log.flush(() => resolve()));
  process.stdout.write(`${lines.join('\n')}\n\n`);
  const stop = async () => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
