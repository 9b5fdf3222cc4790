import { sql } from 'kysely';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { type SuppressedKind, suppressionHash } from '../contacts/suppression-hash.ts';
import { anyText, jsonRows } from '../db/bulk.ts';
import { type Db, runsOneTransactionAtATime } from '../db/open-database.ts';
import { databaseNow, waitForTransactionsBefore } from '../db/wait-for-transactions.ts';
import { enqueueWebhook } from '../webhooks/enqueue-webhook.ts';

export type EraseFailure = Failure<'not-found'>;

/** Rows removed per table, for the answer and the CLI's report. */
export type ErasedRows = Record<string, number>;

interface Identities {
  email: string | null;
  userId: string | null;
  anonymousIds: string[];
  /** Emails and user ids of contacts merged into this one, which name it now. */
  aliasEmails: string[];
  aliasUserIds: string[];
  /** Ids of the contacts merged into this one (their old webhook messages name them). */
  mergedIds: string[];
}

/**
 * Erases a contact and everything that holds its data (docs/privacy.md): its events (also
 * those of its anonymous ids and user id not attributed to it), scores and engagement state
 * (in the contact row), stage history, hand-offs, outcomes, consents, anonymous-id links,
 * queued scoring, webhook messages naming it (with their deliveries), quarantined messages
 * naming it, pending jobs naming it, and the merges into it with their aliases (whose emails
 * and user ids are suppressed with its own). The audit log keeps who did what to it, with the
 * contact id replaced by the erasure's reference.
 *
 * First the suppression entries are committed (hashes of the email, user id and anonymous
 * ids), so every ingestion that starts after that drops messages naming the contact; then,
 * on PostgreSQL, it waits for transactions begun before that commit (an ingestion that looked
 * the contact up a moment earlier); then it deletes everything in one transaction, which also
 * writes `contact.erased` to the webhook outbox and the audit entry.
 */
export async function eraseContact(
  db: Db,
  workspaceId: string,
  contactId: string,
  by: { actor: string; reason?: string; ip?: string | null },
  now: number,
): Promise<Result<{ reference: string; erased: ErasedRows }, EraseFailure>> {
  const before = await readIdentities(db, workspaceId, contactId);
  if (before === null) return err({ kind: 'not-found', message: `no contact with id ${contactId}` });
  const startedAt = await suppress(db, workspaceId, before);
  if (!runsOneTransactionAtATime(db)) await waitForTransactionsBefore(db, startedAt);

  return db.transaction().execute(async (trx) => {
    const identities = await readIdentities(trx, workspaceId, contactId, true);
    if (identities === null) return err({ kind: 'not-found', message: `no contact with id ${contactId}` });
    // Anonymous ids linked since the first read are suppressed too, in this transaction.
    await suppress(trx, workspaceId, identities);
    const reference = erasureReference(workspaceId, contactId);
    const erased = await deleteEverything(trx, workspaceId, contactId, identities);
    await sql`update audit_log set target = ${reference}, details = '{}'
      where workspace_id = ${workspaceId} and target = ${contactId}`.execute(trx);
    await enqueueWebhook(trx, workspaceId, 'contact.erased', { contactId, erasedAt: new Date(now).toISOString() }, now);
    await recordAudit(
      trx,
      {
        workspaceId,
        actor: by.actor,
        action: 'contact.erased',
        target: reference,
        details: by.reason ? { reason: by.reason } : {},
        ip: by.ip ?? null,
      },
      now,
    );
    return ok({ reference, erased });
  });
}

/**
 * What the audit log names an erased contact by: not its id (the webhook carries that once,
 * to the systems that hold a copy), a hash no other table holds.
 */
export function erasureReference(workspaceId: string, contactId: string): string {
  return `erased:${suppressionHash(workspaceId, 'user', `contact:${contactId}`).slice(0, 16)}`;
}

async function readIdentities(
  db: Db,
  workspaceId: string,
  contactId: string,
  lock = false,
): Promise<Identities | null> {
  let query = db
    .selectFrom('contacts')
    .select(['email', 'user_id'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId);
  if (lock) query = query.forUpdate();
  const contact = await query.executeTakeFirst();
  if (!contact) return null;
  const links = await db
    .selectFrom('anonymous_ids')
    .select('anonymous_id')
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .execute();
  const aliases = await db
    .selectFrom('contact_aliases')
    .select(['kind', 'value'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .execute();
  const merges = await db
    .selectFrom('contact_merges')
    .select('merged_id')
    .where('workspace_id', '=', workspaceId)
    .where('survivor_id', '=', contactId)
    .where('undone_at', 'is', null)
    .execute();
  return {
    email: contact.email,
    userId: contact.user_id,
    anonymousIds: links.map((link) => link.anonymous_id),
    aliasEmails: aliases.flatMap((alias) => (alias.kind === 'email' ? [alias.value] : [])),
    aliasUserIds: aliases.flatMap((alias) => (alias.kind === 'user' ? [alias.value] : [])),
    mergedIds: merges.map((merge) => merge.merged_id),
  };
}

/** Stores the identities' suppression hashes; returns the database's clock after the commit. */
async function suppress(db: Db, workspaceId: string, identities: Identities): Promise<Date> {
  const entries: Array<{ hash: string; kind: SuppressedKind }> = [];
  const add = (kind: SuppressedKind, value: string | null) => {
    if (value !== null) entries.push({ hash: suppressionHash(workspaceId, kind, value), kind });
  };
  add('email', identities.email);
  for (const email of identities.aliasEmails) add('email', email);
  for (const userId of identities.aliasUserIds) add('user', userId);
  add('user', identities.userId);
  for (const anonymousId of identities.anonymousIds) add('anonymous', anonymousId);
  if (entries.length > 0) {
    await sql`insert into suppressions (workspace_id, hash, kind)
      select ${workspaceId}, v.hash, v.kind from jsonb_to_recordset(${jsonRows(entries)}) as v(hash text, kind text)
      on conflict do nothing`.execute(db);
  }
  return databaseNow(db);
}

/** The tables whose rows belong to one contact, by `contact_id`. */
const CONTACT_TABLES = [
  'score_queue',
  'stage_history',
  'handoffs',
  'outcomes',
  'anonymous_ids',
  'contact_consents',
  'contact_engagement',
] as const;

async function deleteEverything(
  trx: Db,
  workspaceId: string,
  contactId: string,
  identities: Identities,
): Promise<ErasedRows> {
  const erased: ErasedRows = {};
  const run = async (table: string, statement: ReturnType<typeof sql>) => {
    const result = await statement.execute(trx);
    erased[table] = (erased[table] ?? 0) + Number(result.numAffectedRows ?? 0);
  };
  const anonymousIds = identities.anonymousIds;
  const emails = [identities.email, ...identities.aliasEmails].flatMap((email) => (email === null ? [] : [email]));
  const userIds = [identities.userId, ...identities.aliasUserIds].flatMap((id) => (id === null ? [] : [id]));
  const contactIds = [contactId, ...identities.mergedIds];
  // Each by its own index: the contact's events, then its devices' events never attributed.
  await run('events', sql`delete from events where workspace_id = ${workspaceId} and contact_id = ${contactId}`);
  await run(
    'events',
    sql`delete from events
      where workspace_id = ${workspaceId} and contact_id is null and anonymous_id = ${anyText(anonymousIds)}`,
  );
  for (const table of CONTACT_TABLES) {
    await run(
      table,
      sql`delete from ${sql.table(table)} where workspace_id = ${workspaceId} and contact_id = ${contactId}`,
    );
  }
  // Merges into it and the merged contacts' emails and user ids, which name it now.
  await run(
    'contact_aliases',
    sql`delete from contact_aliases where workspace_id = ${workspaceId} and contact_id = ${contactId}`,
  );
  await run(
    'contact_merges',
    sql`delete from contact_merges where workspace_id = ${workspaceId} and (survivor_id = ${contactId} or merged_id = ${contactId})`,
  );
  // Webhook messages carry the contact's id and often its fields: not sent any more, not kept.
  const names = (column: ReturnType<typeof sql>, values: string[]) =>
    sql`exists (select 1 from unnest(${values}::text[]) as n where strpos(${column}, n) > 0)`;
  const mentions = sql`${names(sql`payload::text`, contactIds)} or ${names(sql`lower(payload::text)`, emails)}`;
  await run(
    'webhook_deliveries',
    sql`delete from webhook_deliveries d using webhook_messages m
      where d.workspace_id = ${workspaceId} and m.workspace_id = d.workspace_id and m.id = d.message_id and (${mentions})`,
  );
  await run(
    'webhook_messages',
    sql`delete from webhook_messages where workspace_id = ${workspaceId} and (${mentions})`,
  );
  await run(
    'quarantine',
    sql`delete from quarantine where workspace_id = ${workspaceId} and (
      ${names(sql`lower(payload::text)`, emails)}
      or payload->>'userId' = ${anyText(userIds)}
      or payload->>'anonymousId' = ${anyText(anonymousIds)})`,
  );
  await run(
    'jobs',
    sql`delete from jobs where workspace_id = ${workspaceId} and status <> 'running' and ${names(sql`payload::text`, contactIds)}`,
  );
  await run('contacts', sql`delete from contacts where workspace_id = ${workspaceId} and id = ${contactId}`);
  return erased;
}
