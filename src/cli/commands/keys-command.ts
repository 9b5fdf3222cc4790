import { bootstrapWorkspace } from '../../server/bootstrap-workspace.ts';
import type { Config } from '../../server/config.ts';
import { parseAllowedOrigins } from '../../server/workspaces/allowed-origins.ts';
import { createApiKey, KEY_ROLES, type KeyRole } from '../../server/workspaces/api-keys.ts';
import { listApiKeys, revokeApiKey } from '../../server/workspaces/list-and-revoke-keys.ts';
import { openConfiguredDatabase } from '../open-from-config.ts';

function isRole(value: string): value is KeyRole {
  return (KEY_ROLES as readonly string[]).includes(value);
}

export async function runKeysCreate(
  config: Config,
  kind: string,
  options: { name: string; role: string; user?: string; origin?: string[] },
): Promise<void> {
  if (kind !== 'secret' && kind !== 'write')
    throw new Error(`key kind must be \`secret\` or \`write\`, got \`${kind}\``);
  const role = options.role;
  if (!isRole(role)) throw new Error(`--role must be one of ${KEY_ROLES.join(', ')}, got \`${role}\``);
  if (role === 'rep' && !options.user)
    throw new Error('a rep key needs --user <rep id>, the id the playbook uses for the rep (e.g. their email)');
  const origins = parseAllowedOrigins(options.origin ?? []);
  if (!origins.ok) throw new Error(`--origin: ${origins.error.message}`);
  if (kind === 'secret' && origins.value.length > 0)
    throw new Error('--origin limits public write keys; a secret key must never reach a browser');
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await bootstrapWorkspace(database.db);
    const { key } = await createApiKey(database.db, workspaceId, kind, options.name, {
      role,
      userId: options.user ?? null,
      allowedOrigins: origins.value,
      by: 'cli',
    });
    process.stdout.write(`${key}\n(shown once: only its hash is stored)\n`);
  } finally {
    await database.close();
  }
}

/** Prints the workspace's keys, one a line: id, prefix, kind, role, user, created, revoked, name. */
export async function runKeysList(config: Config): Promise<void> {
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await bootstrapWorkspace(database.db);
    const keys = await listApiKeys(database.db, workspaceId);
    const rows = keys.map((key) => [
      key.id,
      key.prefix,
      key.kind,
      key.kind === 'write' ? '-' : key.role,
      key.userId ?? '-',
      key.createdAt.toISOString().slice(0, 16).replace('T', ' '),
      key.revokedAt ? `revoked ${key.revokedAt.toISOString().slice(0, 10)}` : 'active',
      key.kind === 'write' ? key.allowedOrigins.join(',') || 'any' : '-',
      key.name,
    ]);
    const header = ['id', 'prefix', 'kind', 'role', 'user', 'created', 'status', 'origins', 'name'];
    const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
    for (const row of [header, ...rows]) {
      process.stdout.write(
        `${row
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd()}\n`,
      );
    }
  } finally {
    await database.close();
  }
}

export async function runKeysRevoke(config: Config, idOrPrefix: string): Promise<void> {
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await bootstrapWorkspace(database.db);
    const outcome = await revokeApiKey(database.db, workspaceId, idOrPrefix, Date.now(), 'cli');
    switch (outcome.kind) {
      case 'not-found':
        throw new Error(`no key with id or prefix \`${idOrPrefix}\`; see \`ripen keys list\``);
      case 'ambiguous':
        throw new Error(
          `${outcome.count} keys share the prefix \`${idOrPrefix}\`; revoke by id (\`ripen keys list\` shows ids)`,
        );
      case 'revoked':
        process.stdout.write(
          `revoked ${outcome.key.kind} key ${outcome.key.prefix}… (${outcome.key.name}); servers refuse it within 30 s\n`,
        );
    }
  } finally {
    await database.close();
  }
}
