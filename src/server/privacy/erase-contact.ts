import { sql } from 'kysely';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { type SuppressedKind, suppressionHash } from '../contacts/suppression-hash.ts';
import { anyText, jsonRows } from '../db/bulk.ts';
import { type Db, runsOneTransactionAtATime } from '../db/open-database.ts';
import { enqueueWebhook } from '../webhooks/enqueue-webhook.ts';

export type EraseFailure = Failure<'not-found'>;

/** Rows removed per table, for the answer and the CLI's report. */
export type ErasedRows = Record<string, number>;

interface Identities {
  email: string | null;
  userId: string | null;
  anonymousIds: string[];
}

/** How long an erasure waits for writes that began before its suppression entries were committed. */
const IN_FLIGHT_WAIT_MS = 10_000;

/**
 * Erases a contact and everything that holds its data (docs/privacy.md): its events (also
 * those of its anonymous ids and user id not attributed to it), scores and engagement state
 * (in the contact row), stage history, hand-offs, outcomes, consents, anonymous-id links,
 * queued scoring, webhook messages naming it (with their deliveries), quarantined messages
 * naming it, and pending jobs naming it. The audit log keeps who did what to it, with the
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
  return { email: contact.email, userId: contact.user_id, anonymousIds: links.map((link) => link.anonymous_id) };
}

/** Stores the identities' suppression hashes; returns the database's clock after the commit. */
async function suppress(db: Db, workspaceId: string, identities: Identities): Promise<Date> {
  const entries: Array<{ hash: string; kind: SuppressedKind }> = [];
  const add = (kind: SuppressedKind, value: string | null) => {
    if (value !== null) entries.push({ hash: suppressionHash(workspaceId, kind, value), kind });
  };
  add('email', identities.email);
  add('user', identities.userId);
  for (const anonymousId of identities.anonymousIds) add('anonymous', anonymousId);
  if (entries.length > 0) {
    await sql`insert into suppressions (workspace_id, hash, kind)
      select ${workspaceId}, v.hash, v.kind from jsonb_to_recordset(${jsonRows(entries)}) as v(hash text, kind text)
      on conflict do nothing`.execute(db);
  }
  const row = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(db);
  return new Date(row.rows[0]?.now ?? Date.now());
}

/**
 * Waits until no other transaction that began before `startedAt` is still open in this
 * database (bounded: a transaction stuck for longer is not an ingestion in flight).
 */
async function waitForTransactionsBefore(db: Db, startedAt: Date): Promise<void> {
  const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
  while (Date.now() < deadline) {
    const open = await sql<{ count: string | number }>`
      select count(*) as count from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and xact_start < ${startedAt.toISOString()}::timestamptz`.execute(
      db,
    );
    if (Number(open.rows[0]?.count ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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
  const email = identities.email;
  const userId = identities.userId;
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
  // Webhook messages carry the contact's id and often its fields: not sent any more, not kept.
  const mentions = sql`strpos(payload::text, ${contactId}) > 0 or (${email}::text is not null and strpos(lower(payload::text), ${email}) > 0)`;
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
      (${email}::text is not null and strpos(lower(payload::text), ${email}) > 0)
      or (${userId}::text is not null and payload->>'userId' = ${userId})
      or payload->>'anonymousId' = ${anyText(anonymousIds)})`,
  );
  await run(
    'jobs',
    sql`delete from jobs where workspace_id = ${workspaceId} and status <> 'running' and strpos(payload::text, ${contactId}) > 0`,
  );
  await run('contacts', sql`delete from contacts where workspace_id = ${workspaceId} and id = ${contactId}`);
  return erased;
}
