import type { Config } from '../../server/config.ts';
import { createApiKey } from '../../server/workspaces/api-keys.ts';
import { bootstrapWorkspace } from '../../server/workspaces/bootstrap-workspace.ts';
import { openConfiguredDatabase } from '../open-from-config.ts';

export async function runKeysCreate(config: Config, kind: string, options: { name: string }): Promise<void> {
  if (kind !== 'secret' && kind !== 'write')
    throw new Error(`key kind must be \`secret\` or \`write\`, got \`${kind}\``);
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await bootstrapWorkspace(database.db);
    const key = await createApiKey(database.db, workspaceId, kind, options.name);
    process.stdout.write(`${key}\n(shown once: only its hash is stored)\n`);
  } finally {
    await database.close();
  }
}
