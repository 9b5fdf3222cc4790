import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { CompiledPlaybook } from '../../core/playbook/compile-playbook.ts';
import { withRetry } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { startHandoffs } from '../handoff/start-handoffs.ts';
import { ApiError } from '../http/api-error.ts';
import { qualifiedBy, scoreContacts } from '../scoring/score-contacts.ts';
import { CONTACT_COLUMNS, type ContactView, toContactView } from './contact-view.ts';
import { lockIdentities } from './look-up-and-lock-identities.ts';

export interface ContactInput {
  email?: string | null;
  userId?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  jobTitle?: string | null;
  seniority?: string | null;
  role?: string | null;
  phone?: string | null;
  country?: string | null;
  companyId?: string | null;
  owner?: string | null;
  properties?: Record<string, unknown>;
}

const COLUMN_OF = {
  email: 'email',
  userId: 'user_id',
  firstName: 'first_name',
  lastName: 'last_name',
  jobTitle: 'job_title',
  seniority: 'seniority',
  role: 'role',
  phone: 'phone',
  country: 'country',
  companyId: 'company_id',
  owner: 'owner',
} as const;

function toColumns(input: ContactInput): Record<string, string | null> {
  const columns: Record<string, string | null> = {};
  for (const [field, column] of Object.entries(COLUMN_OF)) {
    const value = input[field as keyof typeof COLUMN_OF];
    if (value !== undefined) columns[column] = field === 'email' && value !== null ? value.trim().toLowerCase() : value;
  }
  return columns;
}

/**
 * Creates (id null) or updates a contact through the API, then rescores it in the same
 * transaction: a changed job title or company changes fit at once.
 */
export async function saveContact(
  db: Db,
  workspaceId: string,
  playbook: CompiledPlaybook,
  now: number,
  id: string | null,
  input: ContactInput,
  /** Checked on the locked row before an update: the caller's permission and field rules. */
  mayUpdate?: (current: { owner: string | null }) => ApiError | null,
): Promise<ContactView> {
  const columns = toColumns(input);
  const keys = [columns.email ? `e:${columns.email}` : null, columns.user_id ? `u:${columns.user_id}` : null].flatMap(
    (k) => (k ? [k] : []),
  );
  const contactId = await withRetry(() =>
    db.transaction().execute(async (trx) => {
      await lockIdentities(trx, workspaceId, keys);
      await assertIdentitiesFree(trx, workspaceId, id, columns);
      if (columns.company_id) {
        const company = await trx
          .selectFrom('companies')
          .select('id')
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', columns.company_id)
          .executeTakeFirst();
        if (!company)
          throw new ApiError(400, 'unknown_company', `no company with id ${columns.company_id} in this workspace`);
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
            engagement_state: '{"rules":{}}',
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
        if (!current) throw new ApiError(404, 'not_found', `no contact with id ${targetId}`);
        const refusal = mayUpdate?.(current);
        if (refusal) throw refusal;
        const updated = await trx
          .updateTable('contacts')
          .set({
            ...columns,
            updated_at: sql<Date>`now()`,
            ...(properties === undefined ? {} : { properties: sql`properties || ${properties}::jsonb` }),
          })
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', targetId)
          .executeTakeFirst();
        if (updated.numUpdatedRows === 0n) throw new ApiError(404, 'not_found', `no contact with id ${targetId}`);
      }
      const outcome = await scoreContacts(trx, workspaceId, playbook, now, {
        contactIds: [targetId],
        newEvents: new Map(),
        full: false,
      });
      await startHandoffs(trx, workspaceId, playbook, now, qualifiedBy(outcome));
      return targetId;
    }),
  );
  const row = await db
    .selectFrom('contacts')
    .select(CONTACT_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .executeTakeFirstOrThrow();
  return toContactView(row);
}

async function assertIdentitiesFree(
  trx: Db,
  workspaceId: string,
  id: string | null,
  columns: Record<string, string | null>,
): Promise<void> {
  for (const column of ['email', 'user_id'] as const) {
    const value = columns[column];
    if (!value) continue;
    let query = trx
      .selectFrom('contacts')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where(column, '=', value);
    if (id !== null) query = query.where('id', '!=', id);
    const other = await query.executeTakeFirst();
    if (other) {
      throw new ApiError(
        409,
        'duplicate_contact',
        `another contact (${other.id}) already has this ${column === 'email' ? 'email' : 'user id'}; update that contact instead`,
        { contactId: other.id },
      );
    }
  }
}
