import { randomUUID } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { sql } from 'kysely';
import { describeValue, formatFieldPath } from '../../core/describe-input.ts';
import { normalizeMessage, type ValidMessage } from '../../core/ingest/normalize-message.ts';
import {
  GroupMessage,
  IdentifyMessage,
  MESSAGE_TYPES,
  type MessageType,
  type NormalizedMessage,
  PageMessage,
  TrackMessage,
} from '../../core/ingest/segment-message.ts';
import { jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { describeUnstorableText, findUnstorableText, toStorableText } from '../db/storable-text.ts';
import { MAX_RECORD_BYTES } from '../http/body-limits.ts';

export const MAX_EVENT_BYTES = MAX_RECORD_BYTES;
export const MAX_BATCH_BYTES = 500 * 1024;

const checkers = {
  track: TypeCompiler.Compile(TrackMessage),
  identify: TypeCompiler.Compile(IdentifyMessage),
  page: TypeCompiler.Compile(PageMessage),
  group: TypeCompiler.Compile(GroupMessage),
};

export interface ItemError {
  index: number;
  messageId: string | null;
  code: 'invalid_message' | 'event_too_large';
  message: string;
}

function firstSchemaError(type: MessageType, item: unknown): string {
  for (const error of checkers[type].Errors(item)) {
    const field = formatFieldPath(error.path.split('/').filter(Boolean));
    return `\`${field}\`: ${error.message.toLowerCase()}, got ${describeValue(error.value)}`;
  }
  return 'invalid message';
}

function validate(type: MessageType, item: unknown): ValidMessage | string {
  switch (type) {
    case 'track':
      return checkers.track.Check(item) ? { type, message: item } : firstSchemaError(type, item);
    case 'identify':
      return checkers.identify.Check(item) ? { type, message: item } : firstSchemaError(type, item);
    case 'page':
      return checkers.page.Check(item) ? { type, message: item } : firstSchemaError(type, item);
    case 'group':
      return checkers.group.Check(item) ? { type, message: item } : firstSchemaError(type, item);
  }
}

/** Deeper messages are refused: no event needs it, and serialising them could exhaust the stack. */
export const MAX_EVENT_DEPTH = 100;

/**
 * An upper bound on a parsed JSON value's serialised size in bytes, far cheaper than
 * serialising: each character is counted at six bytes (a `\u` escape), so it overestimates
 * up to sixfold. Stops counting once past `limit`; infinite for values nested deeper than
 * MAX_EVENT_DEPTH.
 */
export function jsonBytesAtMost(value: unknown, limit: number, depth = 0): number {
  if (typeof value === 'string') return value.length * 6 + 2;
  // The longest number JSON writes is 25 characters (-0.0000012187891753540002); true, false, null are shorter.
  if (value === null || typeof value !== 'object') return 32;
  if (depth >= MAX_EVENT_DEPTH) return Number.POSITIVE_INFINITY;
  let total = 2;
  if (Array.isArray(value)) {
    for (const item of value) {
      total += jsonBytesAtMost(item, limit, depth + 1) + 1;
      if (total > limit) return total;
    }
    return total;
  }
  for (const key in value) {
    total += key.length * 6 + 4 + jsonBytesAtMost((value as Record<string, unknown>)[key], limit, depth + 1);
    if (total > limit) return total;
  }
  return total;
}

/**
 * Validates raw Segment items. `forcedType` is the endpoint's type (/v1/track…); batch
 * items carry their own. Invalid items come back as per-item errors, to be quarantined.
 */
export function validateMessages(
  items: readonly unknown[],
  forcedType: MessageType | null,
  receivedAt: number,
  source: string,
): { valid: NormalizedMessage[]; errors: ItemError[] } {
  const valid: NormalizedMessage[] = [];
  const errors: ItemError[] = [];
  for (const [index, item] of items.entries()) {
    const record =
      item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : null;
    const messageId = typeof record?.messageId === 'string' ? record.messageId : null;
    const fail = (code: ItemError['code'], message: string) => {
      errors.push({ index, messageId, code, message });
    };
    if (record === null) {
      fail('invalid_message', 'each message must be a JSON object');
      continue;
    }
    // Serialised only when the cheap bound cannot rule out an oversized message, or to hash it.
    const bound = jsonBytesAtMost(record, MAX_EVENT_BYTES);
    if (bound === Number.POSITIVE_INFINITY) {
      fail('invalid_message', `message nests objects or arrays more than ${MAX_EVENT_DEPTH} levels deep`);
      continue;
    }
    // PostgreSQL stores neither NUL nor half a surrogate pair: such a message is quarantined, not a 500.
    const unstorable = findUnstorableText(record);
    if (unstorable) {
      fail('invalid_message', `\`${toStorableText(unstorable.path)}\` ${describeUnstorableText(unstorable.text)}`);
      continue;
    }
    if (bound > MAX_EVENT_BYTES) {
      const text = JSON.stringify(record);
      const size = Buffer.byteLength(text);
      if (size > MAX_EVENT_BYTES) {
        fail('event_too_large', `message is ${size} bytes; the limit is 32 KB per event`);
        continue;
      }
    }
    const type = forcedType ?? record.type;
    if (typeof type !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
      fail('invalid_message', `\`type\` must be one of ${MESSAGE_TYPES.join(', ')}, got ${describeValue(type)}`);
      continue;
    }
    const checked = validate(type as MessageType, forcedType ? { ...record, type } : record);
    if (typeof checked === 'string') {
      fail('invalid_message', checked);
      continue;
    }
    // Deduplication is on ids the sender gave. Without one, two identical messages are two
    // real events (the same page viewed twice), so each gets an id of its own.
    const id = messageId ?? randomUUID();
    const normalized = normalizeMessage(checked, receivedAt, source, id);
    if (!normalized.ok) {
      fail('invalid_message', normalized.error);
      continue;
    }
    valid.push(normalized.value);
  }
  return { valid, errors };
}

/**
 * What the quarantine keeps of an item: the item itself when PostgreSQL can store it as JSON;
 * else its JSON text as a string (NUL and lone surrogates are then plain `\u0000` escapes,
 * so nothing is lost), cut at 4 KB for items over the size limit or nested too deep to store.
 */
function quarantinePayload(item: unknown): unknown {
  const storable =
    item !== null &&
    item !== undefined &&
    jsonBytesAtMost(item, MAX_EVENT_BYTES) !== Number.POSITIVE_INFINITY &&
    findUnstorableText(item) === null;
  let text: string;
  try {
    text = JSON.stringify(item) ?? 'null';
  } catch {
    return { unserialisable: 'nested too deeply to serialise' };
  }
  if (text.length > MAX_EVENT_BYTES) return { truncated: text.slice(0, 4096) };
  return storable ? item : { json: text.length > 4096 ? text.slice(0, 4096) : text };
}

/**
 * Keeps invalid items with their reason, so nothing sent is ever silently dropped. An item
 * with a message id is kept once however often it is resent (a retry after a lost answer).
 */
export async function quarantineItems(
  db: Db,
  workspaceId: string,
  items: readonly unknown[],
  errors: readonly ItemError[],
  receivedAt: number,
): Promise<void> {
  if (errors.length === 0) return;
  const rows = errors.map((error) => ({
    reason: toStorableText(`${error.code}: ${error.message}`),
    messageId: error.messageId !== null && findUnstorableText(error.messageId) === null ? error.messageId : null,
    payload: quarantinePayload(items[error.index]),
  }));
  await sql`insert into quarantine (workspace_id, received_at, reason, message_id, payload)
    select ${workspaceId}, ${new Date(receivedAt)}, v.reason, v."messageId", v.payload
    from jsonb_to_recordset(${jsonRows(rows)}) as v(reason text, "messageId" text, payload jsonb)
    on conflict (workspace_id, message_id) where message_id is not null do nothing`.execute(db);
}
