import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bootstrapWorkspace } from '../server/bootstrap-workspace.ts';
import type { Config } from '../server/config.ts';
import type { Db } from '../server/db/open-database.ts';
import { createUser } from '../server/users/create-user.ts';

export interface Credentials {
  workspaceId: string;
  secretKey: string;
  writeKey: string;
  /** The first admin's web sign-in, with its one-time password (absent in files of older versions). */
  admin?: { email: string; password: string };
}

/** Who the first admin is until they invite the team and change it. */
export const FIRST_ADMIN_EMAIL = 'admin@ripen.local';

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
    const admin = await createUser(
      db,
      boot.workspaceId,
      { email: FIRST_ADMIN_EMAIL, role: 'admin' },
      'cli',
      Date.now(),
    );
    if (!admin.ok) throw new Error(`could not create the first admin: ${admin.error.message}`);
    const credentials: Credentials = {
      workspaceId: boot.workspaceId,
      secretKey: boot.secretKey,
      writeKey: boot.writeKey,
      admin: { email: admin.value.email, password: admin.value.password },
    };
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
  const lines = [
    `Secret key: ${credentials.secretKey}${path ? `  (kept in ${path})` : '  (shown once: store it now)'}`,
    `Write key:  ${credentials.writeKey}`,
  ];
  const { admin } = credentials;
  if (admin) lines.push(`Sign-in:    ${admin.email}, one-time password ${admin.password}`);
  return lines;
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
