import { err, type Failure, ok, type Result } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';

/** A purpose's name: lower case, digits, `_`, `-` and `.`, e.g. `email_marketing`. */
export const PURPOSE_PATTERN = '^[a-z][a-z0-9_.-]{0,63}$';

export interface ConsentView {
  purpose: string;
  granted: boolean;
  at: string;
  source: string;
  recordedBy: string;
}

export async function listConsents(db: Db, workspaceId: string, contactId: string): Promise<ConsentView[]> {
  const rows = await db
    .selectFrom('contact_consents')
    .select(['purpose', 'granted', 'at', 'source', 'recorded_by'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('purpose')
    .execute();
  return rows.map((row) => ({
    purpose: row.purpose,
    granted: row.granted,
    at: row.at.toISOString(),
    source: row.source,
    recordedBy: row.recorded_by,
  }));
}

/**
 * Records a contact's decision for one purpose (the latest decision is what counts): given or
 * withdrawn, when (`at`, not in the future), through what (`source`: "signup form", "phone
 * call") and who recorded it. An older decision than the one on record does not replace it.
 * The caller has found the contact (a missing one fails the foreign key).
 */
export async function recordConsent(
  db: Db,
  workspaceId: string,
  contactId: string,
  input: { purpose: string; granted: boolean; source: string; at: number },
  recordedBy: string,
  now: number,
): Promise<Result<ConsentView, Failure<'invalid-consent'>>> {
  if (!new RegExp(PURPOSE_PATTERN).test(input.purpose))
    return err({
      kind: 'invalid-consent',
      message: `a purpose is lower case letters, digits, _ - and ., like email_marketing; got \`${input.purpose}\``,
    });
  if (input.at > now + 60_000)
    return err({ kind: 'invalid-consent', message: '`at` is in the future; send when the person decided' });
  const at = new Date(input.at);
  await db
    .insertInto('contact_consents')
    .values({
      workspace_id: workspaceId,
      contact_id: contactId,
      purpose: input.purpose,
      granted: input.granted,
      at,
      source: input.source,
      recorded_by: recordedBy,
    })
    .onConflict((conflict) =>
      conflict
        .columns(['workspace_id', 'contact_id', 'purpose'])
        .doUpdateSet((eb) => ({
          granted: eb.ref('excluded.granted'),
          at: eb.ref('excluded.at'),
          source: eb.ref('excluded.source'),
          recorded_by: eb.ref('excluded.recorded_by'),
        }))
        .where('contact_consents.at', '<=', at),
    )
    .execute();
  const stored = (await listConsents(db, workspaceId, contactId)).find((consent) => consent.purpose === input.purpose);
  if (!stored) throw new Error('the consent just recorded is missing');
  return ok(stored);
}
