import type { Config } from '../../server/config.ts';
import { findContactByEmail } from '../../server/contacts/list-contacts.ts';
import { type MergeView, mergeContacts, undoMerge } from '../../server/contacts/merge-contacts.ts';
import { createPlaybookStore } from '../../server/playbooks/playbook-store.ts';
import { openFirstWorkspace } from '../first-workspace.ts';
import { openConfiguredDatabase } from '../open-from-config.ts';

function describeMerge(merge: MergeView): string {
  const { events, devices, outcomes } = merge.moved;
  return `${events} events, ${devices} devices and ${outcomes} outcomes`;
}

/** `ripen merge <into-email> <merged-email> [--reason]`: merges the second contact into the first (docs/identity.md). */
export async function runMerge(config: Config, intoEmail: string, mergedEmail: string, options: { reason?: string }) {
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await openFirstWorkspace(database.db, config);
    const into = await findContactByEmail(database.db, workspaceId, intoEmail);
    if (!into) throw new Error(`no contact with email ${intoEmail}; check the spelling (nothing was merged)`);
    const merged = await findContactByEmail(database.db, workspaceId, mergedEmail);
    if (!merged) throw new Error(`no contact with email ${mergedEmail}; check the spelling (nothing was merged)`);
    if (merged.id === into.id)
      throw new Error(`${mergedEmail} already names contact ${into.id} (merged before); nothing to do`);
    const deps = { db: database.db, playbooks: createPlaybookStore(database.db), clock: Date.now };
    const result = await mergeContacts(deps, workspaceId, into.id, merged.id, { actor: 'cli', reason: options.reason });
    if (!result.ok) throw new Error(result.error.message);
    process.stdout.write(
      `merged ${mergedEmail} into ${intoEmail} (${describeMerge(result.value)} moved); undo with: ripen unmerge ${result.value.id}\n`,
    );
  } finally {
    await database.close();
  }
}

/** `ripen unmerge <merge-id>`: undoes a merge. */
export async function runUnmerge(config: Config, mergeId: string, options: { reason?: string }) {
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await openFirstWorkspace(database.db, config);
    const deps = { db: database.db, playbooks: createPlaybookStore(database.db), clock: Date.now };
    const result = await undoMerge(deps, workspaceId, mergeId, { actor: 'cli', reason: options.reason });
    if (!result.ok) throw new Error(result.error.message);
    const who = result.value.merged.email ?? result.value.mergedId;
    process.stdout.write(`undid merge ${mergeId}: ${who} is its own contact again (${result.value.mergedId})\n`);
  } finally {
    await database.close();
  }
}
