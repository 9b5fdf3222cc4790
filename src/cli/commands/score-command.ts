import type { Config } from '../../server/config.ts';
import { explainContact } from '../../server/contacts/explain-contact.ts';
import { findContactByEmail } from '../../server/contacts/list-contacts.ts';
import { createPlaybookStore } from '../../server/playbooks/playbook-store.ts';
import { openFirstWorkspace } from '../first-workspace.ts';
import { formatExplanation } from '../format-explanation.ts';
import { openConfiguredDatabase } from '../open-from-config.ts';

export async function runScore(
  config: Config,
  email: string,
  options: { explain?: boolean; json?: boolean },
): Promise<void> {
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await openFirstWorkspace(database.db, config);
    const contact = await findContactByEmail(database.db, workspaceId, email);
    if (!contact) throw new Error(`no contact with email ${email}; check the spelling or list contacts with the API`);
    const playbook = await createPlaybookStore(database.db).active(workspaceId);
    if (!playbook) throw new Error('no playbook published yet; run `ripen playbook publish <file>`');
    const explained = await explainContact(database.db, workspaceId, contact.id, playbook, Date.now());
    if (!explained) throw new Error(`contact ${contact.id} disappeared`);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ stage: contact.stage, ...explained.view }, null, 2)}\n`);
      return;
    }
    process.stdout.write(formatExplanation(explained.view, contact.stage, options.explain === true));
  } finally {
    await database.close();
  }
}
