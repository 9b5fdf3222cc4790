/**
 * One shape for the event webhooks of every email provider: what happened to which
 * recipient, when, with the campaign, link and tags it came with. Each provider's module
 * (sendgrid-events.ts, mailgun-events.ts, …) turns its payloads into these.
 */

export const EMAIL_PROVIDERS = ['sendgrid', 'mailgun', 'postmark', 'ses', 'brevo', 'generic'] as const;
export type EmailProvider = (typeof EMAIL_PROVIDERS)[number];

export function isEmailProvider(value: string): value is EmailProvider {
  return (EMAIL_PROVIDERS as readonly string[]).includes(value);
}

export type EmailEventKind = 'delivered' | 'open' | 'click' | 'bounce' | 'complaint' | 'unsubscribe';

/** Why an open or click is taken for a machine's rather than the recipient's. */
export type MachineReason =
  | 'provider-flagged'
  | 'apple-privacy-proxy'
  | 'security-scanner'
  | 'clicked-right-after-send';

export interface EmailEvent {
  /** Stable across the provider's retries of the same event: the idempotency key. */
  id: string;
  kind: EmailEventKind;
  /** The recipient, lower-cased. */
  email: string;
  occurredAt: number;
  /** Hard (the address does not exist or refuses for good) or soft; bounces only. */
  bounce: 'hard' | 'soft' | null;
  campaign: string | null;
  link: string | null;
  tags: string[];
  /** The provider's id of the email message, to tie events of one email together. */
  emailMessageId: string | null;
  /** Bounce or complaint reason, as the provider words it. */
  reason: string | null;
  userAgent: string | null;
  /** Set when the provider says a machine did it (Apple Mail Privacy Protection, a link scanner). */
  providerMachine: boolean;
  /** When the email was sent, when the payload says: a click seconds after is a scanner's. */
  sentAt: number | null;
}

/** What a provider's payload became: the events, and the items skipped with the reason. */
export interface ParsedEmailEvents {
  events: EmailEvent[];
  /** Items that are not engagement (sent, deferred, processed…) or lack a recipient. */
  skipped: Array<{ index: number; reason: string }>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_TEXT = 2000;
const MAX_TAGS = 50;

export function readObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** Text of a string or number, trimmed and cut to a storable length; null when empty or absent. */
export function readText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text === '' ? null : text.slice(0, MAX_TEXT);
}

/** A recipient address, lower-cased, without a display name (`Ann <ann@example.com>`); null when not an address. */
export function readEmail(value: unknown): string | null {
  const text = readText(value);
  if (text === null) return null;
  const bracketed = /<([^<>]+)>\s*$/.exec(text);
  const address = (bracketed?.[1] ?? text).trim().toLowerCase();
  return EMAIL.test(address) ? address : null;
}

/** Tags from a string, a comma-free list, or an array; deduplicated, at most 50. */
export function readTags(...values: unknown[]): string[] {
  const tags = new Set<string>();
  for (const value of values) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      const tag = readText(item);
      if (tag !== null && tags.size < MAX_TAGS) tags.add(tag);
    }
  }
  return [...tags];
}

/** A time in seconds (number or numeric text), milliseconds when `unit` says, or ISO text; null when unreadable. */
export function readTime(value: unknown, unit: 'seconds' | 'milliseconds' = 'seconds'): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(unit === 'seconds' ? value * 1000 : value);
  if (typeof value !== 'string' || value.trim() === '') return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return readTime(Number(value), unit);
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

/** An event with the fields most payloads lack set to their empty value. */
export function emailEvent(
  fields: Pick<EmailEvent, 'id' | 'kind' | 'email' | 'occurredAt'> & Partial<EmailEvent>,
): EmailEvent {
  return {
    bounce: null,
    campaign: null,
    link: null,
    tags: [],
    emailMessageId: null,
    reason: null,
    userAgent: null,
    providerMachine: false,
    sentAt: null,
    ...fields,
  };
}
