import { bootstrapWorkspace } from '../../server/bootstrap-workspace.ts';
import type { Config } from '../../server/config.ts';
import { createUser } from '../../server/users/create-user.ts';
import { openConfiguredDatabase } from '../open-from-config.ts';

/** `ripen users create --email --role`: prints the new user's one-time password, once. */
export async function runUsersCreate(config: Config, options: { email: string; role: string }): Promise<void> {
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await bootstrapWorkspace(database.db);
    const created = await createUser(database.db, workspaceId, options, 'cli', Date.now());
    if (!created.ok) throw new Error(created.error.message);
    const { email, role, password } = created.value;
    process.stdout.write(
      `Created ${role} ${email}.\nOne-time password: ${password}\n(shown once: only its argon2id hash is stored)\n`,
    );
  } finally {
    await database.close();
  }
}
