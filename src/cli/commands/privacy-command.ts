import { writeFileSync } from 'node:fs';
import type { Config } from '../../server/config.ts';
import { findContactByEmail } from '../../server/contacts/list-contacts.ts';
import { eraseContact } from '../../server/privacy/erase-contact.ts';
import { exportContactData } from '../../server/privacy/export-contact.ts';
import { openFirstWorkspace } from '../first-workspace.ts';
import { openConfiguredDatabase } from '../open-from-config.ts';

/** `ripen erase <email> --yes [--reason]`: erases a contact and suppresses it (docs/privacy.md). */
export async function runErase(config: Config, email: string, options: { yes?: boolean; reason?: string }) {
  if (options.yes !== true)
    throw new Error(
      `erasing ${email} deletes the contact and everything about it and cannot be undone; run again with --yes`,
    );
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await openFirstWorkspace(database.db, config);
    const contact = await findContactByEmail(database.db, workspaceId, email);
    if (!contact) throw new Error(`no contact with email ${email}; check the spelling (nothing was erased)`);
    const result = await eraseContact(
      database.db,
      workspaceId,
      contact.id,
      { actor: 'cli', reason: options.reason },
      Date.now(),
    );
    if (!result.ok) throw new Error(result.error.message);
    const rows = Object.entries(result.value.erased)
      .filter(([, count]) => count > 0)
      .map(([table, count]) => `${table} ${count}`)
      .join(', ');
    process.stdout.write(
      `erased contact ${contact.id} (${rows}); its email, user id and devices are suppressed; audit reference ${result.value.reference}\n`,
    );
  } finally {
    await database.close();
  }
}

/** `ripen export contact <email> [--out file]`: everything held about one contact, as JSON. */
export async function runExportContact(config: Config, email: string, options: { out?: string }) {
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await openFirstWorkspace(database.db, config);
    const contact = await findContactByEmail(database.db, workspaceId, email);
    if (!contact) throw new Error(`no contact with email ${email}; check the spelling`);
    const data = await exportContactData(database.db, workspaceId, contact.id, Date.now());
    if (data === null) throw new Error(`contact ${contact.id} disappeared while exporting; try again`);
    const text = `${JSON.stringify(data, null, 2)}\n`;
    if (options.out) {
      writeFileSync(options.out, text, { mode: 0o600 });
      process.stderr.write(`exported contact ${contact.id} to ${options.out}\n`);
    } else process.stdout.write(text);
  } finally {
    await database.close();
  }
}
