import { err, ok, type Result } from '../result.ts';
import {
  type EmailEventKind,
  emailEvent,
  type ParsedEmailEvents,
  readEmail,
  readObject,
  readTags,
  readText,
  readTime,
} from './email-event.ts';

/** Mailgun's signature block, verified by the server with the workspace's webhook signing key. */
export interface MailgunSignature {
  timestamp: string;
  token: string;
  signature: string;
}

const KINDS: Record<string, EmailEventKind> = {
  delivered: 'delivered',
  opened: 'open',
  clicked: 'click',
  failed: 'bounce',
  complained: 'complaint',
  unsubscribed: 'unsubscribe',
};

/** The `signature` object of a Mailgun webhook, or why there is none. */
export function readMailgunSignature(body: unknown): Result<MailgunSignature, string> {
  const signature = readObject(readObject(body)?.signature);
  const timestamp = readText(signature?.timestamp);
  const token = readText(signature?.token);
  const value = readText(signature?.signature);
  if (timestamp === null || token === null || value === null) {
    return err('a Mailgun webhook carries `signature: { timestamp, token, signature }`; this body has none');
  }
  return ok({ timestamp, token, signature: value });
}

/**
 * Mailgun webhooks: one event per POST, `{ signature, "event-data" }`. The event has a unique
 * `id`, `event`, `recipient`, `timestamp` (seconds, fractional), `tags`, `campaigns` and
 * `user-variables` (where senders put a `campaign`), `url` on clicks, `severity` on failures
 * (`permanent` is a hard bounce) and `client-info.bot` when Mailgun detected Apple Mail
 * Privacy Protection, a Gmail or another bot.
 */
export function parseMailgunEvents(body: unknown, receivedAt: number): Result<ParsedEmailEvents, string> {
  const data = readObject(readObject(body)?.['event-data']);
  if (data === null) return err('a Mailgun webhook body is `{ "signature": …, "event-data": { … } }`');
  const name = readText(data.event) ?? '';
  const kind = KINDS[name];
  if (kind === undefined) return ok({ events: [], skipped: [{ index: 0, reason: `\`${name}\` is not engagement` }] });
  const email = readEmail(data.recipient);
  if (email === null) return ok({ events: [], skipped: [{ index: 0, reason: 'no `recipient`' }] });
  const variables = readObject(data['user-variables']);
  const campaigns = Array.isArray(data.campaigns) ? data.campaigns.map((item) => readObject(item)) : [];
  const headers = readObject(readObject(data.message)?.headers);
  const delivery = readObject(data['delivery-status']);
  const id = readText(data.id) ?? `${readText(headers?.['message-id']) ?? email}:${name}:${readText(data.timestamp)}`;
  const event = emailEvent({
    id,
    kind,
    email,
    occurredAt: readTime(data.timestamp) ?? receivedAt,
    bounce: kind === 'bounce' ? (readText(data.severity) === 'permanent' ? 'hard' : 'soft') : null,
    campaign: readText(variables?.campaign) ?? readText(campaigns[0]?.name) ?? null,
    link: kind === 'click' ? readText(data.url) : null,
    tags: readTags(data.tags),
    emailMessageId: readText(headers?.['message-id']),
    reason: readText(data.reason) ?? readText(delivery?.description) ?? readText(delivery?.message),
    userAgent: readText(readObject(data['client-info'])?.['user-agent']),
    providerMachine: readText(readObject(data['client-info'])?.bot) !== null,
  });
  return ok({ events: [event], skipped: [] });
}
