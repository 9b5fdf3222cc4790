import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bootstrapWorkspace } from '../server/bootstrap-workspace.ts';
import type { Config } from '../server/config.ts';
import type { Db } from '../server/db/open-database.ts';

export interface Credentials {
  workspaceId: string;
  secretKey: string;
  writeKey: string;
}

/**
 * On the embedded database the first keys are kept in a 0600 file beside the data, so a
 * newcomer can use them after a restart. With DATABASE_URL they are printed once only.
 */
export function credentialsPath(config: Config): string | null {
  return config.databaseUrl ? null : join(dirname(config.dataDir), 'credentials.json');
}

export function readCredentials(path: string | null): Credentials | null {
  if (path === null || !existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as Credentials;
}

/**
 * The workspace a command works in. Whichever command runs first on a fresh database
 * (`serve`, `migrate`, `import`, `demo`) creates it with the default playbook and a pair of
 * keys, keeps the keys (embedded database) and returns them, so no command leaves a newcomer
 * with a workspace and no way in. `credentials` is null when the workspace was already there
 * and no keys file holds them.
 */
export async function openFirstWorkspace(
  db: Db,
  config: Config,
): Promise<{ workspaceId: string; created: boolean; credentials: Credentials | null; path: string | null }> {
  const boot = await bootstrapWorkspace(db);
  const path = credentialsPath(config);
  if (boot.created && boot.secretKey && boot.writeKey) {
    const credentials = { workspaceId: boot.workspaceId, secretKey: boot.secretKey, writeKey: boot.writeKey };
    if (path) {
      writeFileSync(path, JSON.stringify(credentials, null, 2), { mode: 0o600 });
      chmodSync(path, 0o600);
    }
    return { workspaceId: boot.workspaceId, created: true, credentials, path };
  }
  return { workspaceId: boot.workspaceId, created: false, credentials: readCredentials(path), path };
}

/** The lines that hand a new workspace's keys to the person who ran the command. */
export function describeKeys(credentials: Credentials, path: string | null): string[] {
  return [
    `Secret key: ${credentials.secretKey}${path ? `  (kept in ${path})` : '  (shown once: store it now)'}`,
    `Write key:  ${credentials.writeKey}`,
  ];
}

/** For commands other than `serve`: says so when this run created the workspace and its keys. */
export function announceNewWorkspace(first: {
  created: boolean;
  credentials: Credentials | null;
  path: string | null;
}) {
  if (!first.created || first.credentials === null) return;
  process.stdout.write(
    `${['Created the first workspace with the default playbook.', ...describeKeys(first.credentials, first.path)].join('\n')}\n`,
  );
}
