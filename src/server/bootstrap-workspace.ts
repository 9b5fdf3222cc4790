import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db/open-database.ts';
import { publishPlaybookVersion } from './playbooks/playbook-store.ts';
import { createApiKey } from './workspaces/api-keys.ts';

/** A file shipped with the package, found from this module in src/ or in the dist/ bundle. */
function packageFile(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find Ripen's package folder to read ${relative}`);
    dir = parent;
  }
  return join(dir, relative);
}

export const DEFAULT_PLAYBOOK_PATH = packageFile('playbooks/default.yaml');

export interface Bootstrapped {
  workspaceId: string;
  created: boolean;
  secretKey: string | null;
  writeKey: string | null;
}

/** Ensures a first workspace exists with the default playbook and a pair of keys (shown once). */
export async function bootstrapWorkspace(db: Db, name = 'Default workspace'): Promise<Bootstrapped> {
  const existing = await db.selectFrom('workspaces').select('id').orderBy('created_at').limit(1).executeTakeFirst();
  if (existing) return { workspaceId: existing.id, created: false, secretKey: null, writeKey: null };
  const workspace = await db.insertInto('workspaces').values({ name }).returning('id').executeTakeFirstOrThrow();
  const published = await publishPlaybookVersion(
    db,
    workspace.id,
    readFileSync(DEFAULT_PLAYBOOK_PATH, 'utf8'),
    'bootstrap',
    Date.now(),
  );
  if (!published.ok) throw new Error(`the bundled default playbook is invalid: ${published.error[0]?.message}`);
  const { key: secretKey } = await createApiKey(db, workspace.id, 'secret', 'first secret key', { by: 'bootstrap' });
  const { key: writeKey } = await createApiKey(db, workspace.id, 'write', 'first write key', { by: 'bootstrap' });
  return { workspaceId: workspace.id, created: true, secretKey, writeKey };
}
