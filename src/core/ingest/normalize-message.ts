import { err, ok, type Result } from '../result.ts';
import type {
  GroupMessage,
  IdentifyMessage,
  MessageType,
  NormalizedMessage,
  PageMessage,
  TrackMessage,
} from './segment-message.ts';

export type ValidMessage =
  | { type: 'track'; message: TrackMessage }
  | { type: 'identify'; message: IdentifyMessage }
  | { type: 'page'; message: PageMessage }
  | { type: 'group'; message: GroupMessage };

/** Earlier event times are typos or placeholders (year 1 or 0001), which databases store badly or refuse. */
const EARLIEST_EVENT_TIME = Date.UTC(1900, 0, 1);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseTime(text: string | undefined, field: string): Result<number | null, string> {
  if (text === undefined) return ok(null);
  const time = Date.parse(text);
  if (Number.isNaN(time))
    return err(`\`${field}\` must be an ISO-8601 date such as 2026-05-01T12:00:00Z, got \`${text.slice(0, 40)}\``);
  return ok(time);
}

function readObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function readEmail(traits: Record<string, unknown> | null): Result<string | null, string> {
  const value = traits?.email;
  if (value === undefined || value === null || value === '') return ok(null);
  if (typeof value !== 'string' || !EMAIL.test(value.trim())) {
    return err(`\`traits.email\` must be an email address, got \`${String(value).slice(0, 60)}\``);
  }
  return ok(value.trim().toLowerCase());
}

/** Segment's reserved `company` trait of identify: `{ id?, name, industry, employee_count, plan, … }`. */
function companyTrait(traits: Record<string, unknown> | null): NormalizedMessage['company'] {
  const company = readObject(traits?.company);
  if (company === null) return null;
  const { id, ...rest } = company;
  const groupId = typeof id === 'string' && id.trim() !== '' ? id.trim() : typeof id === 'number' ? String(id) : null;
  return { groupId, traits: rest };
}

/**
 * Ids sent as JSON numbers are kept as their text, which is exact only up to 2^53: beyond,
 * two different ids (123456789012345678901 and …902) would read as one number, and so as one
 * contact. Such ids are refused with the fix; the message that names the problem, or null.
 */
function exactNumericId(value: unknown, field: string): string | null {
  if (typeof value !== 'number' || Number.isSafeInteger(value) || !Number.isInteger(value)) return null;
  return `\`${field}\` is a number too large to keep exactly (${value}); send it as a string, e.g. "${field}": "123456789012345678901"`;
}

/**
 * Normalises a validated Segment message: ids as text, the email from traits, page path
 * from context, and the event time corrected for client clock skew (Segment's rule:
 * timestamp + (receivedAt - sentAt)), never later than when it was received.
 * `fallbackMessageId` is used when the client sent none (the server makes a unique one).
 */
export function normalizeMessage(
  valid: ValidMessage,
  receivedAt: number,
  source: string,
  fallbackMessageId: string,
): Result<NormalizedMessage, string> {
  const message = valid.message;
  const numericId =
    exactNumericId(message.userId, 'userId') ??
    (valid.type === 'group' ? exactNumericId(valid.message.groupId, 'groupId') : null);
  if (numericId !== null) return err(numericId);
  const userId = message.userId === undefined ? null : String(message.userId);
  const anonymousId = message.anonymousId ?? null;
  if (userId === null && anonymousId === null) return err('either `userId` or `anonymousId` is required');
  const timestamp = parseTime(message.timestamp ?? message.originalTimestamp, 'timestamp');
  if (!timestamp.ok) return timestamp;
  const sentAt = parseTime(message.sentAt, 'sentAt');
  if (!sentAt.ok) return sentAt;
  let occurredAt = timestamp.value ?? receivedAt;
  if (timestamp.value !== null && sentAt.value !== null) occurredAt += receivedAt - sentAt.value;
  occurredAt = Math.min(occurredAt, receivedAt);
  if (occurredAt < EARLIEST_EVENT_TIME) {
    return err('`timestamp` (corrected by `sentAt`) must be in 1900 or later; send the time the event happened');
  }

  const context = message.context ?? {};
  let traits: Record<string, unknown> | null = null;
  let properties: Record<string, unknown> = {};
  let name: string | null = null;
  let groupId: string | null = null;
  const type: MessageType = valid.type;
  switch (valid.type) {
    case 'track':
      name = valid.message.event;
      properties = valid.message.properties ?? {};
      break;
    case 'identify':
      traits = valid.message.traits ?? readObject(context.traits) ?? {};
      break;
    case 'page': {
      name = valid.message.name ?? null;
      const page = readObject(context.page) ?? {};
      properties = { ...page, ...(valid.message.properties ?? {}) };
      break;
    }
    case 'group':
      groupId = String(valid.message.groupId);
      traits = valid.message.traits ?? {};
      break;
  }
  const email = readEmail(valid.type === 'identify' ? traits : readObject(context.traits));
  if (!email.ok) return email;
  const library = readObject(context.library)?.name;
  return ok({
    messageId: message.messageId ?? fallbackMessageId,
    type,
    name,
    userId,
    anonymousId,
    email: email.value,
    traits,
    groupId,
    company: groupId !== null ? { groupId, traits: traits ?? {} } : companyTrait(traits),
    properties,
    context,
    // The library that sent it (Segment's `context.library`), when it says.
    source: typeof library === 'string' && library.trim() !== '' ? library.trim().slice(0, 100) : source,
    occurredAt,
    receivedAt,
  });
}
