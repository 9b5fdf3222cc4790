import { randomUUID } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import { resolveIdentities } from '../../core/identity/resolve-identities.ts';
import type { NormalizedMessage } from '../../core/ingest/segment-message.ts';
import { withTruncatedIp } from '../../core/privacy/truncate-ip.ts';
import type { EngagementEvent } from '../../core/scoring/engagement-state.ts';
import { resolveCompanies } from '../companies/resolve-companies.ts';
import { lookUpAndLockIdentities } from '../contacts/look-up-and-lock-identities.ts';
import { mergeContactTraits, writeContacts } from '../contacts/write-contacts.ts';
import { anyText, combineWrites, isUniqueViolation, jsonRows, withRetry } from '../db/bulk.ts';
import { type Db, runsOneTransactionAtATime } from '../db/open-database.ts';
import { queueScoring } from '../scoring/queue-scoring.ts';

export interface IngestResult {
  accepted: number;
  /** Messages not stored: seen before, or naming an erased contact (counted in `suppressed` too). */
  duplicates: number;
  /**
   * Messages naming an erased contact's email, user id or anonymous id, dropped. Clients are
   * told they were duplicates: a write key, which is public, must not learn who was erased.
   */
  suppressed: number;
  /** Message ids stored by this call (the rest were seen before). */
  insertedIds: ReadonlySet<string>;
  /** The stored events attributed to a contact, as scoring reads them (for the in-process shortcut). */
  stored: EngagementEvent[];
}

/**
 * Stores a batch of messages and what they imply about identities in one transaction:
 * identities, traits, companies, events (idempotent on message id; IP addresses truncated
 * unless the workspace keeps them whole; none naming an erased contact), re-attribution of
 * anonymous history, and a score-queue row for every contact or company whose score may
 * have changed. When it resolves, the batch is durably committed; when it throws, nothing
 * of it was stored. Scores and lifecycle moves follow from the queue (score-queued.ts).
 */
export async function ingestMessages(
  db: Db,
  workspaceId: string,
  /** Version new contacts start on: their empty state is already that version's. */
  playbookVersion: number,
  batch: readonly NormalizedMessage[],
): Promise<IngestResult> {
  const unique = [...new Map(batch.map((message) => [message.messageId, message])).values()];
  const exclusive = runsOneTransactionAtATime(db);
  // The look-up drops message ids already stored, so the events insert needs no conflict
  // handling (which costs an extra index search per row). If a concurrent transaction commits
  // one of the same ids in between, the insert fails on the key and the whole transaction is
  // run again: its look-up then sees that id as stored.
  return withRetry(
    () =>
      db.transaction().execute(async (trx) => {
        const looked = await lookUpAndLockIdentities(trx, workspaceId, unique, exclusive);
        const { emailDomains, known, suppressed } = looked;
        if (looked.messages.length === 0)
          return { accepted: 0, duplicates: batch.length, suppressed, insertedIds: new Set<string>(), stored: [] };
        const messages = looked.privacy.keepFullIp ? looked.messages : looked.messages.map(truncatingIp);

        const resolution = resolveIdentities(messages, emailDomains, known, randomUUID);
        const traits = mergeContactTraits(messages, resolution.contactByMessage);
        const companies = await resolveCompanies(
          trx,
          workspaceId,
          messages,
          resolution.contactByMessage,
          resolution.emailDomains,
          known.companies,
        );
        // A new contact's (empty) engagement state is current: scoring folds in this batch's events.
        await writeContacts(trx, workspaceId, playbookVersion, resolution, traits, companies.links);

        // Every message left after the look-up is stored (a racing duplicate fails the insert).
        const inserted = new Set(messages.map((message) => message.messageId));
        const newEvents = new Map<string, string[]>();
        messages.forEach((message, index) => {
          const contactId = resolution.contactByMessage[index];
          if (contactId) addTo(newEvents, contactId, message.messageId);
        });
        // Before this batch's events are stored: they are stored attributed already.
        await reattributeAnonymousEvents(trx, workspaceId, resolution.newLinks, newEvents);

        // The events and their score-queue rows in one statement. Every contact the batch
        // touched (traits, links, new identities) has at least one of its messages in newEvents.
        await combineWrites([
          insertEvents(workspaceId, messages, resolution.contactByMessage),
          queueScoring(workspaceId, newEvents, companies.changed),
        ])?.execute(trx);
        const stored = messages.filter((_, index) => resolution.contactByMessage[index]).map(toStoredEvent);
        return {
          accepted: inserted.size,
          duplicates: batch.length - inserted.size,
          suppressed,
          insertedIds: inserted,
          stored,
        };
      }),
    8,
    (error) => isUniqueViolation(error, 'events_pkey'),
  );
}

function truncatingIp(message: NormalizedMessage): NormalizedMessage {
  const context = withTruncatedIp(message.context);
  return context === message.context ? message : { ...message, context };
}

/** Identify and group calls store their traits as the event's properties. */
function storedProperties(message: NormalizedMessage): Record<string, unknown> {
  return message.type === 'identify' || message.type === 'group' ? (message.traits ?? {}) : message.properties;
}

function toStoredEvent(message: NormalizedMessage): EngagementEvent {
  return {
    id: message.messageId,
    type: message.type,
    name: message.name,
    properties: storedProperties(message),
    context: message.context,
    source: message.source,
    occurredAt: message.occurredAt,
  };
}

const EPOCH = sql`timestamptz 'epoch'`;
const MILLISECOND = sql`interval '1 millisecond'`;

function insertEvents(
  workspaceId: string,
  messages: readonly NormalizedMessage[],
  contactByMessage: ReadonlyArray<string | null>,
): RawBuilder<unknown> {
  const rows = messages.map((message, index) => ({
    message_id: message.messageId,
    type: message.type,
    name: message.name,
    contact_id: contactByMessage[index] ?? null,
    anonymous_id: message.anonymousId,
    user_id: message.userId,
    properties: storedProperties(message),
    context: message.context,
    source: message.source,
    occurred_ms: message.occurredAt,
    received_ms: message.receivedAt,
  }));
  // Times travel as milliseconds since the epoch, exact: adding them to the epoch is nearly
  // free, where parsing an ISO timestamp per row was a large share of PGlite's insert.
  return sql`
    insert into events (workspace_id, message_id, type, name, contact_id, anonymous_id, user_id, properties, context,
      source, occurred_at, received_at)
    select ${workspaceId}, v.message_id, v.type, v.name, v.contact_id, v.anonymous_id, v.user_id, v.properties,
      v.context, v.source, ${EPOCH} + v.occurred_ms * ${MILLISECOND}, ${EPOCH} + v.received_ms * ${MILLISECOND}
    from jsonb_to_recordset(${jsonRows(rows)}) as v(message_id text, type text, name text, contact_id uuid,
      anonymous_id text, user_id text, properties jsonb, context jsonb, source text, occurred_ms int8,
      received_ms int8)`;
}

function addTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Gives a newly identified visitor their anonymous history stored by earlier batches (this
 * batch's is stored attributed); those events are new to the contact's score.
 */
async function reattributeAnonymousEvents(
  trx: Db,
  workspaceId: string,
  links: ReadonlyArray<{ anonymousId: string; contactId: string }>,
  newEvents: Map<string, string[]>,
): Promise<void> {
  if (links.length === 0) return;
  const rows = links.map((link) => ({ anonymous_id: link.anonymousId, contact_id: link.contactId }));
  const result = await sql<{ contact_id: string; message_id: string }>`
    update events as e set contact_id = v.contact_id
    from jsonb_to_recordset(${jsonRows(rows)}) as v(anonymous_id text, contact_id uuid)
    where e.workspace_id = ${workspaceId} and e.contact_id is null
      and e.anonymous_id = ${anyText(links.map((link) => link.anonymousId))} and e.anonymous_id = v.anonymous_id
    returning e.contact_id, e.message_id`.execute(trx);
  for (const row of result.rows) addTo(newEvents, row.contact_id, row.message_id);
}
