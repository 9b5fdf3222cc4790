import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import { CONTACT_PROFILE_COLUMNS } from '../../core/contacts/contact-fields.ts';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { anyText, anyUuid, withRetry } from '../db/bulk.ts';
import { type Db, runsOneTransactionAtATime } from '../db/open-database.ts';
import { databaseNow, waitForTransactionsBefore } from '../db/wait-for-transactions.ts';
import { startHandoffs } from '../handoff/start-handoffs.ts';
import { ApiError } from '../http/api-error.ts';
import type { ServiceDeps } from '../http/route-deps.ts';
import { qualifiedBy, scoreContacts } from '../scoring/score-contacts.ts';
import { enqueueWebhook } from '../webhooks/enqueue-webhook.ts';
import { lockIdentities } from './look-up-and-lock-identities.ts';
import { restoreRows, rowsOf } from './row-snapshots.ts';

export type MergeFailure = Failure<
  'not-found' | 'same-contact' | 'already-merged' | 'already-undone' | 'survivor-gone' | 'identity-taken'
>;

/** Who asks for a merge or its undo, and why. */
export interface MergeActor {
  actor: string;
  reason?: string;
  ip?: string | null;
}

/** A merge as the API and the CLI show it. */
export interface MergeView {
  id: string;
  survivorId: string;
  mergedId: string;
  /** The merged contact's email, user id and name as they were. */
  merged: { email: string | null; userId: string | null; name: string | null; stage: string };
  reason: string;
  mergedBy: string;
  mergedAt: string;
  moved: { events: number; devices: number; outcomes: number };
  undoneBy: string | null;
  undoneAt: string | null;
}

/** The columns a survivor takes from the merged contact when its own are empty. */
const FILLABLE = ['email', 'user_id', ...CONTACT_PROFILE_COLUMNS, 'company_id'] as const;
type Fillable = (typeof FILLABLE)[number];

/** The merged contact as it was, and what the merge changed on the survivor: what an undo puts back. */
interface MergeSnapshot {
  contact: Record<string, unknown>;
  engagement: unknown[];
  stageHistory: unknown[];
  handoffs: unknown[];
  consents: ConsentRow[];
  /** Survivor columns that were empty and took the merged contact's value. */
  filled: Partial<Record<Fillable, string>>;
  /** Custom properties only the merged contact had, now on the survivor. */
  addedProperties: Record<string, unknown>;
  /** The survivor's consent for each purpose the merged contact's later decision replaced (null: none). */
  replacedConsents: Array<{ purpose: string; before: ConsentRow | null }>;
}

/** The rows that now belong to the survivor. */
interface MergeMoves {
  events: string[];
  devices: string[];
  outcomes: string[];
  /** Aliases of earlier merges into the merged contact, now naming the survivor. */
  aliases: Array<{ kind: string; value: string }>;
}

interface ConsentRow {
  purpose: string;
  granted: boolean;
  at: string;
  source: string;
  recorded_by: string;
  [column: string]: unknown;
}

type ContactRecord = Record<string, unknown> & { id: string; email: string | null; user_id: string | null };

/** Thrown inside a transaction to roll it back with a failure to report. */
class Refusal extends Error {
  constructor(readonly failure: MergeFailure) {
    super(failure.message);
  }
}

async function refusing<T>(work: () => Promise<T>): Promise<Result<T, MergeFailure>> {
  try {
    return ok(await work());
  } catch (error) {
    if (error instanceof Refusal) return err(error.failure);
    throw error;
  }
}

/**
 * Merges `mergedId` into `survivorId` (docs/identity.md): the merged contact's events,
 * devices and outcomes move to the survivor, its consents join the survivor's (the later
 * decision per purpose wins), empty survivor fields take its values, and its email and user
 * id become aliases that name the survivor from now on. The survivor keeps its own stage,
 * owner and hand-off; the merged contact's row, stage history, hand-offs and engagement are
 * kept in the merge record so that `undoMerge` can put everything back. The survivor is
 * rescored from its whole history in the same transaction, which also sends `contact.merged`
 * and writes the audit entry.
 *
 * Exactly once: both rows are locked, so of two concurrent merges of the same contact one
 * finds it already merged. On PostgreSQL, an ingestion that looked the merged contact up just
 * before the merge committed may still store events for it: the merge waits for such
 * transactions to finish and then moves what they wrote (sweep).
 */
export async function mergeContacts(
  deps: ServiceDeps,
  workspaceId: string,
  survivorId: string,
  mergedId: string,
  by: MergeActor,
): Promise<Result<MergeView, MergeFailure>> {
  if (survivorId === mergedId)
    return err({
      kind: 'same-contact',
      message: 'a contact cannot be merged into itself; pick two different contacts',
    });
  const reason = by.reason?.trim() || 'duplicate';
  const merged = await refusing(() =>
    withRetry(() =>
      deps.db.transaction().execute(async (trx) => {
        const now = deps.clock();
        const { survivor, loser } = await lockPair(trx, workspaceId, survivorId, mergedId);
        await lockIdentities(
          trx,
          workspaceId,
          [loser.email ? `e:${loser.email}` : null, loser.user_id ? `u:${loser.user_id}` : null].flatMap((key) =>
            key ? [key] : [],
          ),
        );
        const snapshot = await takeSnapshot(trx, workspaceId, survivor, loser);
        const moved = await moveRows(trx, workspaceId, loser.id, survivor.id);
        await deleteMerged(trx, workspaceId, loser.id);
        await fillSurvivor(trx, workspaceId, survivor.id, snapshot);
        await joinConsents(trx, workspaceId, survivor.id, snapshot);
        const inserted = await trx
          .insertInto('contact_merges')
          .values({
            workspace_id: workspaceId,
            survivor_id: survivor.id,
            merged_id: loser.id,
            reason,
            merged_by: by.actor,
            merged_at: new Date(now),
            snapshot: JSON.stringify(snapshot),
            moved: JSON.stringify(moved),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await addAliases(trx, workspaceId, survivor, loser, snapshot, inserted.id);
        await rescore(deps, trx, workspaceId, [survivor.id], now);
        await enqueueWebhook(
          trx,
          workspaceId,
          'contact.merged',
          { contactId: survivor.id, mergedId: loser.id, mergeId: inserted.id, reason },
          now,
        );
        await recordAudit(
          trx,
          {
            workspaceId,
            actor: by.actor,
            action: 'contact.merged',
            target: survivor.id,
            details: { mergeId: inserted.id, mergedId: loser.id, reason },
            ip: by.ip ?? null,
          },
          now,
        );
        return inserted.id;
      }),
    ),
  );
  if (!merged.ok) return merged;
  if (!runsOneTransactionAtATime(deps.db)) {
    await waitForTransactionsBefore(deps.db, await databaseNow(deps.db));
    await sweepStragglers(deps, workspaceId, merged.value);
  }
  return ok((await getMerge(deps.db, workspaceId, merged.value)) as MergeView);
}

/**
 * Puts a merge back: the merged contact returns with its id, fields, stage history,
 * hand-offs, consents and engagement; the rows that moved go back to it, with events that
 * arrived since from its devices or user id; the survivor's fields and consents that the merge
 * filled go back to what they were (unless edited since); both are rescored.
 */
export async function undoMerge(
  deps: ServiceDeps,
  workspaceId: string,
  mergeId: string,
  by: MergeActor,
): Promise<Result<MergeView, MergeFailure>> {
  const undone = await refusing(() =>
    withRetry(() =>
      deps.db.transaction().execute(async (trx) => {
        const now = deps.clock();
        const merge = await trx
          .selectFrom('contact_merges')
          .selectAll()
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', mergeId)
          .forUpdate()
          .executeTakeFirst();
        if (!merge) throw new Refusal({ kind: 'not-found', message: `no merge with id ${mergeId}` });
        if (merge.undone_at !== null)
          throw new Refusal({
            kind: 'already-undone',
            message: `merge ${mergeId} was already undone (${merge.undone_at.toISOString()}, by ${merge.undone_by})`,
          });
        const survivor = await lockContact(trx, workspaceId, merge.survivor_id);
        if (!survivor) throw new Refusal(await goneFailure(trx, workspaceId, merge.survivor_id, 'survivor-gone'));
        const snapshot = merge.snapshot as MergeSnapshot;
        const moved = merge.moved as MergeMoves;
        const loser = snapshot.contact as ContactRecord;
        await trx
          .deleteFrom('contact_aliases')
          .where('workspace_id', '=', workspaceId)
          .where('merge_id', '=', mergeId)
          .execute();
        await unfillSurvivor(trx, workspaceId, merge.survivor_id, snapshot);
        await refuseTakenIdentities(trx, workspaceId, loser);
        await restoreRows(trx, 'contacts', [loser]);
        await restoreRows(trx, 'contact_engagement', snapshot.engagement);
        await restoreRows(trx, 'stage_history', snapshot.stageHistory);
        await restoreRows(trx, 'handoffs', snapshot.handoffs);
        await restoreRows(trx, 'contact_consents', snapshot.consents);
        await unjoinConsents(trx, workspaceId, merge.survivor_id, snapshot);
        await moveBack(trx, workspaceId, merge.survivor_id, loser, moved, merge.merged_at);
        await trx
          .updateTable('contact_merges')
          .set({ undone_at: new Date(now), undone_by: by.actor })
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', mergeId)
          .execute();
        await rescore(deps, trx, workspaceId, [merge.survivor_id, loser.id], now);
        const data = { contactId: merge.survivor_id, mergedId: loser.id, mergeId };
        await enqueueWebhook(trx, workspaceId, 'contact.unmerged', data, now);
        await recordAudit(
          trx,
          {
            workspaceId,
            actor: by.actor,
            action: 'contact.unmerged',
            target: merge.survivor_id,
            details: { mergeId, mergedId: loser.id, ...(by.reason ? { reason: by.reason } : {}) },
            ip: by.ip ?? null,
          },
          now,
        );
      }),
    ),
  );
  if (!undone.ok) return undone;
  return ok((await getMerge(deps.db, workspaceId, mergeId)) as MergeView);
}

/** Locks a contact's row for the rest of the transaction; undefined when there is no such contact. */
async function lockContact(trx: Db, workspaceId: string, contactId: string) {
  return trx
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .forUpdate()
    .executeTakeFirst();
}

/** The merge (not undone) that took this contact into another, if any. */
async function mergedInto(db: Db, workspaceId: string, contactId: string) {
  return db
    .selectFrom('contact_merges')
    .select(['id', 'survivor_id'])
    .where('workspace_id', '=', workspaceId)
    .where('merged_id', '=', contactId)
    .where('undone_at', 'is', null)
    .orderBy('merged_at', 'desc')
    .executeTakeFirst();
}

/**
 * The 404 for a contact id that is not there: when it was merged into another, it says so and
 * names the survivor (`details.survivorId`), so that an old link can follow it.
 */
export async function contactNotFound(db: Db, workspaceId: string, contactId: string): Promise<ApiError> {
  const merge = await mergedInto(db, workspaceId, contactId);
  if (!merge) return new ApiError(404, 'not_found', `no contact with id ${contactId}`);
  return new ApiError(404, 'not_found', `contact ${contactId} was merged into ${merge.survivor_id}`, {
    survivorId: merge.survivor_id,
    mergeId: merge.id,
  });
}

/** One merge, or null. */
export async function getMerge(db: Db, workspaceId: string, mergeId: string): Promise<MergeView | null> {
  const rows = await db
    .selectFrom('contact_merges')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', mergeId)
    .execute();
  return rows.map(toMergeView)[0] ?? null;
}

/** The merges into a contact, latest first (undone ones too). */
export async function listMerges(db: Db, workspaceId: string, survivorId: string): Promise<MergeView[]> {
  const rows = await db
    .selectFrom('contact_merges')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('survivor_id', '=', survivorId)
    .orderBy('merged_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toMergeView);
}

function toMergeView(row: {
  id: string;
  survivor_id: string;
  merged_id: string;
  reason: string;
  merged_by: string;
  merged_at: Date;
  snapshot: unknown;
  moved: unknown;
  undone_by: string | null;
  undone_at: Date | null;
}): MergeView {
  const contact = (row.snapshot as MergeSnapshot).contact as ContactRecord;
  const moved = row.moved as MergeMoves;
  const name = [contact.first_name, contact.last_name].filter((part) => typeof part === 'string' && part !== '');
  return {
    id: row.id,
    survivorId: row.survivor_id,
    mergedId: row.merged_id,
    merged: {
      email: contact.email,
      userId: contact.user_id,
      name: name.length > 0 ? name.join(' ') : null,
      stage: String(contact.stage),
    },
    reason: row.reason,
    mergedBy: row.merged_by,
    mergedAt: row.merged_at.toISOString(),
    moved: { events: moved.events.length, devices: moved.devices.length, outcomes: moved.outcomes.length },
    undoneBy: row.undone_by,
    undoneAt: row.undone_at?.toISOString() ?? null,
  };
}

/** Locks both contacts (in id order, as every writer does) and reads them whole. */
async function lockPair(
  trx: Db,
  workspaceId: string,
  survivorId: string,
  mergedId: string,
): Promise<{ survivor: ContactRecord; loser: ContactRecord }> {
  const rows = await sql<{ id: string; row: ContactRecord }>`
    select c.id, to_jsonb(c) - 'search_text' as row from contacts c
    where c.workspace_id = ${workspaceId} and c.id = ${anyUuid([survivorId, mergedId])}
    order by c.id for update`.execute(trx);
  const survivor = rows.rows.find((row) => row.id === survivorId)?.row;
  const loser = rows.rows.find((row) => row.id === mergedId)?.row;
  if (!loser) throw new Refusal(await goneFailure(trx, workspaceId, mergedId, 'already-merged'));
  if (!survivor) throw new Refusal(await goneFailure(trx, workspaceId, survivorId, 'survivor-gone'));
  return { survivor, loser };
}

/** Why a contact is not there: merged into another (and which), or no such contact. */
async function goneFailure(
  trx: Db,
  workspaceId: string,
  contactId: string,
  kind: 'already-merged' | 'survivor-gone',
): Promise<MergeFailure> {
  const merge = await mergedInto(trx, workspaceId, contactId);
  if (!merge) return { kind: 'not-found', message: `no contact with id ${contactId}` };
  const details = { mergeId: merge.id, survivorId: merge.survivor_id };
  return kind === 'already-merged'
    ? {
        kind,
        message: `contact ${contactId} was already merged into ${merge.survivor_id} (merge ${merge.id}); nothing was changed`,
        details,
      }
    : {
        kind,
        message: `contact ${contactId} was merged into ${merge.survivor_id} since (merge ${merge.id}); undo that merge first, or work with ${merge.survivor_id}`,
        details,
      };
}

async function takeSnapshot(
  trx: Db,
  workspaceId: string,
  survivor: ContactRecord,
  loser: ContactRecord,
): Promise<MergeSnapshot> {
  const filled: Partial<Record<Fillable, string>> = {};
  for (const column of FILLABLE) {
    const mine = survivor[column];
    const theirs = loser[column];
    if ((mine === null || mine === undefined) && typeof theirs === 'string') filled[column] = theirs;
  }
  const mineProperties = (survivor.properties ?? {}) as Record<string, unknown>;
  const theirProperties = (loser.properties ?? {}) as Record<string, unknown>;
  const addedProperties = Object.fromEntries(
    Object.entries(theirProperties).filter(([key]) => !(key in mineProperties)),
  );
  const consents = (await rowsOf(trx, 'contact_consents', workspaceId, loser.id)) as ConsentRow[];
  const survivorConsents = (await rowsOf(trx, 'contact_consents', workspaceId, survivor.id)) as ConsentRow[];
  const replacedConsents = consents.flatMap((consent) => {
    const before = survivorConsents.find((mine) => mine.purpose === consent.purpose) ?? null;
    return before === null || Date.parse(consent.at) > Date.parse(before.at)
      ? [{ purpose: consent.purpose, before }]
      : [];
  });
  return {
    contact: loser,
    engagement: await rowsOf(trx, 'contact_engagement', workspaceId, loser.id),
    stageHistory: await rowsOf(trx, 'stage_history', workspaceId, loser.id),
    handoffs: await rowsOf(trx, 'handoffs', workspaceId, loser.id),
    consents,
    filled,
    addedProperties,
    replacedConsents,
  };
}

async function moveRows(trx: Db, workspaceId: string, fromId: string, toId: string): Promise<MergeMoves> {
  const events = await sql<{ id: string }>`update events set contact_id = ${toId}
    where workspace_id = ${workspaceId} and contact_id = ${fromId} returning id::text as id`.execute(trx);
  const devices = await sql<{ anonymous_id: string }>`update anonymous_ids set contact_id = ${toId}
    where workspace_id = ${workspaceId} and contact_id = ${fromId} returning anonymous_id`.execute(trx);
  const outcomes = await sql<{ id: string }>`update outcomes set contact_id = ${toId}
    where workspace_id = ${workspaceId} and contact_id = ${fromId} returning id::text as id`.execute(trx);
  const aliases = await sql<{ kind: string; value: string }>`update contact_aliases set contact_id = ${toId}
    where workspace_id = ${workspaceId} and contact_id = ${fromId} returning kind, value`.execute(trx);
  return {
    events: events.rows.map((row) => row.id),
    devices: devices.rows.map((row) => row.anonymous_id),
    outcomes: outcomes.rows.map((row) => row.id),
    aliases: aliases.rows,
  };
}

/** Deletes the merged contact and the rows kept in the snapshot (its consents go with it). */
async function deleteMerged(trx: Db, workspaceId: string, contactId: string): Promise<void> {
  for (const table of ['contact_engagement', 'stage_history', 'handoffs'] as const) {
    await sql`delete from ${sql.table(table)} where workspace_id = ${workspaceId} and contact_id = ${contactId}`.execute(
      trx,
    );
  }
  await trx.deleteFrom('contacts').where('workspace_id', '=', workspaceId).where('id', '=', contactId).execute();
}

async function fillSurvivor(trx: Db, workspaceId: string, survivorId: string, snapshot: MergeSnapshot): Promise<void> {
  const added = JSON.stringify(snapshot.addedProperties);
  await trx
    .updateTable('contacts')
    .set({
      ...snapshot.filled,
      properties: sql`${added}::jsonb || properties`,
      updated_at: sql<Date>`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', survivorId)
    .execute();
}

/** Empties the survivor's fields the merge filled, where they still hold the filled value. */
async function unfillSurvivor(
  trx: Db,
  workspaceId: string,
  survivorId: string,
  snapshot: MergeSnapshot,
): Promise<void> {
  const current = await trx
    .selectFrom('contacts')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', survivorId)
    .executeTakeFirstOrThrow();
  const reset: Record<string, null> = {};
  for (const [column, value] of Object.entries(snapshot.filled)) {
    if ((current as Record<string, unknown>)[column] === value) reset[column] = null;
  }
  const properties = { ...(current.properties as Record<string, unknown>) };
  for (const [key, value] of Object.entries(snapshot.addedProperties)) {
    if (isDeepStrictEqual(properties[key], value)) delete properties[key];
  }
  await trx
    .updateTable('contacts')
    .set({ ...reset, properties: JSON.stringify(properties), updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', survivorId)
    .execute();
}

/** The merged contact's email and user id may only come back if no contact took them meanwhile. */
async function refuseTakenIdentities(trx: Db, workspaceId: string, loser: ContactRecord): Promise<void> {
  for (const [column, what] of [
    ['email', 'email'],
    ['user_id', 'user id'],
  ] as const) {
    const value = loser[column];
    if (value === null) continue;
    const other = await trx
      .selectFrom('contacts')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where(column, '=', value)
      .executeTakeFirst();
    if (other)
      throw new Refusal({
        kind: 'identity-taken',
        message: `contact ${other.id} has the merged contact's ${what} now; change it there before undoing this merge`,
        details: { contactId: other.id },
      });
  }
}

/** Per purpose, the merged contact's consent decision replaces the survivor's when it is later. */
async function joinConsents(trx: Db, workspaceId: string, survivorId: string, snapshot: MergeSnapshot): Promise<void> {
  const replaced = new Set(snapshot.replacedConsents.map((entry) => entry.purpose));
  if (replaced.size === 0) return;
  const rows = snapshot.consents
    .filter((consent) => replaced.has(consent.purpose))
    .map((consent) => ({ ...consent, contact_id: survivorId }));
  await trx
    .deleteFrom('contact_consents')
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', survivorId)
    .where('purpose', 'in', [...replaced])
    .execute();
  await restoreRows(trx, 'contact_consents', rows);
}

/** Gives the survivor back the consents the merge replaced, unless a decision was recorded since. */
async function unjoinConsents(
  trx: Db,
  workspaceId: string,
  survivorId: string,
  snapshot: MergeSnapshot,
): Promise<void> {
  for (const { purpose, before } of snapshot.replacedConsents) {
    const copied = snapshot.consents.find((consent) => consent.purpose === purpose);
    const current = await trx
      .selectFrom('contact_consents')
      .select(['at', 'granted', 'source'])
      .where('workspace_id', '=', workspaceId)
      .where('contact_id', '=', survivorId)
      .where('purpose', '=', purpose)
      .executeTakeFirst();
    const unchanged =
      current !== undefined &&
      copied !== undefined &&
      current.at.getTime() === Date.parse(copied.at) &&
      current.granted === copied.granted &&
      current.source === copied.source;
    if (!unchanged) continue;
    await trx
      .deleteFrom('contact_consents')
      .where('workspace_id', '=', workspaceId)
      .where('contact_id', '=', survivorId)
      .where('purpose', '=', purpose)
      .execute();
    if (before !== null) await restoreRows(trx, 'contact_consents', [before]);
  }
}

/** The merged contact's email and user id name the survivor from now on, unless the survivor took them as its own. */
async function addAliases(
  trx: Db,
  workspaceId: string,
  survivor: ContactRecord,
  loser: ContactRecord,
  snapshot: MergeSnapshot,
  mergeId: string,
): Promise<void> {
  const aliases: Array<{ kind: 'email' | 'user'; value: string }> = [];
  if (loser.email !== null && snapshot.filled.email === undefined) aliases.push({ kind: 'email', value: loser.email });
  if (loser.user_id !== null && snapshot.filled.user_id === undefined)
    aliases.push({ kind: 'user', value: loser.user_id });
  if (aliases.length === 0) return;
  await trx
    .insertInto('contact_aliases')
    .values(
      aliases.map((alias) => ({ workspace_id: workspaceId, ...alias, contact_id: survivor.id, merge_id: mergeId })),
    )
    .execute();
}

/**
 * Moves back what the merge moved, and what arrived for the merged contact since through its
 * devices or user id; earlier merges' aliases name it again.
 */
async function moveBack(
  trx: Db,
  workspaceId: string,
  survivorId: string,
  loser: ContactRecord,
  moved: MergeMoves,
  mergedAt: Date,
): Promise<void> {
  await sql`update events set contact_id = ${loser.id}
    where workspace_id = ${workspaceId} and contact_id = ${survivorId} and (
      id = any(${moved.events}::bigint[])
      or (received_at >= ${mergedAt} and (anonymous_id = ${anyText(moved.devices)}
        or (${loser.user_id}::text is not null and user_id = ${loser.user_id}))))`.execute(trx);
  await sql`update anonymous_ids set contact_id = ${loser.id}
    where workspace_id = ${workspaceId} and contact_id = ${survivorId} and anonymous_id = ${anyText(moved.devices)}`.execute(
    trx,
  );
  await sql`update outcomes set contact_id = ${loser.id}
    where workspace_id = ${workspaceId} and contact_id = ${survivorId} and id = ${anyUuid(moved.outcomes)}`.execute(
    trx,
  );
  for (const alias of moved.aliases) {
    await trx
      .updateTable('contact_aliases')
      .set({ contact_id: loser.id })
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', alias.kind as 'email' | 'user')
      .where('value', '=', alias.value)
      .where('contact_id', '=', survivorId)
      .execute();
  }
}

/**
 * After the merge committed and the ingestions that began before it finished: moves to the
 * survivor what they stored for the merged contact, and rescores the survivor if anything moved.
 */
async function sweepStragglers(deps: ServiceDeps, workspaceId: string, mergeId: string): Promise<void> {
  await withRetry(() =>
    deps.db.transaction().execute(async (trx) => {
      const merge = await trx
        .selectFrom('contact_merges')
        .select(['survivor_id', 'merged_id', 'moved', 'undone_at'])
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', mergeId)
        .forUpdate()
        .executeTakeFirst();
      if (!merge || merge.undone_at !== null) return;
      if (!(await lockContact(trx, workspaceId, merge.survivor_id))) return;
      const late = await moveRows(trx, workspaceId, merge.merged_id, merge.survivor_id);
      if (late.events.length + late.devices.length + late.outcomes.length === 0) return;
      const moved = merge.moved as MergeMoves;
      const all: MergeMoves = {
        events: [...moved.events, ...late.events],
        devices: [...moved.devices, ...late.devices],
        outcomes: [...moved.outcomes, ...late.outcomes],
        aliases: [...moved.aliases, ...late.aliases],
      };
      await trx
        .updateTable('contact_merges')
        .set({ moved: JSON.stringify(all) })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', mergeId)
        .execute();
      await rescore(deps, trx, workspaceId, [merge.survivor_id], deps.clock());
    }),
  );
}

/** Recomputes contacts from their whole stored history (their events changed owner) and hands new MQLs to sales. */
async function rescore(deps: ServiceDeps, trx: Db, workspaceId: string, contactIds: string[], now: number) {
  const playbook = await deps.playbooks.active(workspaceId, trx);
  if (playbook === null) return;
  const outcome = await scoreContacts(trx, workspaceId, playbook, now, {
    contactIds,
    newEvents: new Map(),
    full: true,
  });
  await startHandoffs(trx, workspaceId, playbook, now, qualifiedBy(outcome));
}
