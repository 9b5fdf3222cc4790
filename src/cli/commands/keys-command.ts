import type { Config } from '../../server/config.ts';
import { createApiKey, KEY_ROLES, type KeyRole } from '../../server/workspaces/api-keys.ts';
import { bootstrapWorkspace } from '../../server/workspaces/bootstrap-workspace.ts';
import { openConfiguredDatabase } from '../open-from-config.ts';

function isRole(value: string): value is KeyRole {
  return (KEY_ROLES as readonly string[]).includes(value);
}

export async function runKeysCreate(
  config: Config,
  kind: string,
  options: { name: string; role: string; user?: string },
): Promise<void> {
  if (kind !== 'secret' && kind !== 'write')
    throw new Error(`key kind must be \`secret\` or \`write\`, got \`${kind}\``);
  const role = options.role;
  if (!isRole(role)) throw new Error(`--role must be one of ${KEY_ROLES.join(', ')}, got \`${role}\``);
  if (role === 'rep' && !options.user)
    throw new Error('a rep key needs --user <rep id>, the id the playbook uses for the rep (e.g. their email)');
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await bootstrapWorkspace(database.db);
    const key = await createApiKey(database.db, workspaceId, kind, options.name, {
      role,
      userId: options.user ?? null,
    });
    process.stdout.write(`${key}\n(shown once: only its hash is stored)\n`);
  } finally {
    await database.close();
  }
}
