import { randomUUID } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { CONTACT_PROFILE_FIELDS, contactProfileSchemas } from '../../core/contacts/contact-fields.ts';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import { withRetry } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { startHandoffs } from '../handoff/start-handoffs.ts';
import type { ServiceDeps } from '../http/route-deps.ts';
import { qualifiedBy, scoreContacts } from '../scoring/score-contacts.ts';
import { CONTACT_COLUMNS, type ContactRow, type ContactView, toContactView } from './contact-view.ts';
import { lockIdentities } from './look-up-and-lock-identities.ts';
import { suppressionHash } from './suppression-hash.ts';

// Null first: with Ajv's type coercion a string-first union would turn `null` into "".
const OptionalText = Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 500 })]));

/** A contact as the API takes it: every field optional; null clears it. */
export const ContactInput = Type.Object(
  {
    email: Type.Optional(Type.Union([Type.Null(), Type.String({ format: 'email', maxLength: 320 })])),
    userId: OptionalText,
    ...contactProfileSchemas(() => OptionalText),
    companyId: Type.Optional(Type.Union([Type.Null(), Type.String({ format: 'uuid' })])),
    owner: OptionalText,
    properties: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type ContactInput = Static<typeof ContactInput>;

/** The column of each field the API sets directly. */
const COLUMN_OF: ReadonlyArray<readonly [Exclude<keyof ContactInput, 'properties'>, keyof ContactRow]> = [
  ['email', 'email'],
  ['userId', 'user_id'],
  ...CONTACT_PROFILE_FIELDS.map((field) => [field.name, field.column] as const),
  ['companyId', 'company_id'],
  ['owner', 'owner'],
];

function toColumns(input: ContactInput): Record<string, string | null> {
  const columns: Record<string, string | null> = {};
  for (const [field, column] of COLUMN_OF) {
    const value = input[field];
    if (value !== undefined) columns[column] = field === 'email' && value !== null ? value.trim().toLowerCase() : value;
  }
  return columns;
}

/** Why a contact was not saved. */
export type ContactFailure = Failure<
  'not-found' | 'unknown-company' | 'duplicate-contact' | 'forbidden' | 'owner-via-reassign' | 'no-playbook' | 'erased'
>;

/**
 * Creates (id null) or updates a contact through the API, then rescores it in the same
 * transaction: a changed job title or company changes fit at once. Without a published
 * playbook it is saved unscored, as ingested contacts are; publishing scores every contact.
 */
export async function saveContact(
  deps: ServiceDeps,
  workspaceId: string,
  id: string | null,
  input: ContactInput,
  /** Checked on the locked row before an update: the caller's permission and field rules. */
  mayUpdate?: (current: { owner: string | null }) => ContactFailure | null,
): Promise<Result<ContactView, ContactFailure>> {
  const { db } = deps;
  const playbook = await deps.playbooks.active(workspaceId);
  const columns = toColumns(input);
  const keys = [columns.email ? `e:${columns.email}` : null, columns.user_id ? `u:${columns.user_id}` : null].flatMap(
    (k) => (k ? [k] : []),
  );
  const saved = await withRetry(() =>
    db.transaction().execute(async (trx): Promise<Result<string, ContactFailure>> => {
      await lockIdentities(trx, workspaceId, keys);
      const clash =
        (await findIdentityClash(trx, workspaceId, id, columns)) ?? (await findSuppressed(trx, workspaceId, columns));
      if (clash) return err(clash);
      if (columns.company_id) {
        const company = await trx
          .selectFrom('companies')
          .select('id')
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', columns.company_id)
          .executeTakeFirst();
        if (!company) {
          const message = `no company with id ${columns.company_id} in this workspace`;
          return err({ kind: 'unknown-company', message });
        }
      }
      const properties = input.properties === undefined ? undefined : JSON.stringify(input.properties);
      let targetId = id;
      if (targetId === null) {
        targetId = randomUUID();
        await trx
          .insertInto('contacts')
          .values({
            workspace_id: workspaceId,
            id: targetId,
            ...columns,
            properties: properties ?? '{}',
            stage_entered_at: '{}',
          })
          .execute();
      } else {
        const current = await trx
          .selectFrom('contacts')
          .select('owner')
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', targetId)
          .forUpdate()
          .executeTakeFirst();
        if (!current) return err({ kind: 'not-found', message: `no contact with id ${targetId}` });
        const refusal = mayUpdate?.(current);
        if (refusal) return err(refusal);
        await trx
          .updateTable('contacts')
          .set({
            ...columns,
            updated_at: sql<Date>`now()`,
            ...(properties === undefined ? {} : { properties: sql`properties || ${properties}::jsonb` }),
          })
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', targetId)
          .execute();
      }
      if (playbook !== null) {
        const now = deps.clock();
        const outcome = await scoreContacts(trx, workspaceId, playbook, now, {
          contactIds: [targetId],
          newEvents: new Map(),
          full: false,
        });
        await startHandoffs(trx, workspaceId, playbook, now, qualifiedBy(outcome));
      }
      return ok(targetId);
    }),
  );
  if (!saved.ok) return saved;
  const row = await db
    .selectFrom('contacts')
    .select(CONTACT_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', saved.value)
    .executeTakeFirstOrThrow();
  return ok(toContactView(row));
}

/** Another contact that already has this email or user id, as the failure to report. */
/** An email or user id of a contact erased on request may not come back (docs/privacy.md). */
async function findSuppressed(
  trx: Db,
  workspaceId: string,
  columns: Record<string, string | null>,
): Promise<ContactFailure | null> {
  const hashes = [
    columns.email ? suppressionHash(workspaceId, 'email', columns.email) : null,
    columns.user_id ? suppressionHash(workspaceId, 'user', columns.user_id) : null,
  ].flatMap((hash) => (hash ? [hash] : []));
  if (hashes.length === 0) return null;
  const row = await trx
    .selectFrom('suppressions')
    .select('kind')
    .where('workspace_id', '=', workspaceId)
    .where('hash', 'in', hashes)
    .executeTakeFirst();
  if (!row) return null;
  const what = row.kind === 'email' ? 'email' : 'user id';
  return {
    kind: 'erased',
    message: `a contact with this ${what} was erased on request, and Ripen keeps it from coming back; if the person asks to be added again, an admin lifts the suppression with DELETE /api/privacy/suppressions {"email": "..."}`,
  };
}

async function findIdentityClash(
  trx: Db,
  workspaceId: string,
  id: string | null,
  columns: Record<string, string | null>,
): Promise<ContactFailure | null> {
  for (const column of ['email', 'user_id'] as const) {
    const value = columns[column];
    if (!value) continue;
    let query = trx
      .selectFrom('contacts')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where(column, '=', value);
    if (id !== null) query = query.where('id', '!=', id);
    // A merged contact's email or user id names the contact it was merged into.
    let aliases = trx
      .selectFrom('contact_aliases')
      .select('contact_id as id')
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', column === 'email' ? 'email' : 'user')
      .where('value', '=', value);
    if (id !== null) aliases = aliases.where('contact_id', '!=', id);
    const other = (await query.executeTakeFirst()) ?? (await aliases.executeTakeFirst());
    if (other) {
      const what = column === 'email' ? 'email' : 'user id';
      return {
        kind: 'duplicate-contact',
        message: `another contact (${other.id}) already has this ${what}; update that contact instead`,
        details: { contactId: other.id },
      };
    }
  }
  return null;
}
