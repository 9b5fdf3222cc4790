import { err, ok, type Result } from '../result.ts';
import {
  type EmailEvent,
  type EmailEventKind,
  emailEvent,
  type ParsedEmailEvents,
  readEmail,
  readObject,
  readTags,
  readText,
  readTime,
} from './email-event.ts';

const KINDS: Record<string, EmailEventKind> = {
  delivered: 'delivered',
  open: 'open',
  click: 'click',
  bounce: 'bounce',
  spamreport: 'complaint',
  unsubscribe: 'unsubscribe',
  group_unsubscribe: 'unsubscribe',
};

/**
 * SendGrid's Event Webhook: a JSON array of events, each with `sg_event_id` (unique per
 * event, kept across retries), `event`, `email`, `timestamp` (seconds), `category` (the tags),
 * `url` on clicks, `sg_machine_open` on opens Apple Mail Privacy Protection made, and on
 * bounces `type` (`bounce` for a permanent failure, `blocked` for a temporary one).
 */
export function parseSendGridEvents(body: unknown, receivedAt: number): Result<ParsedEmailEvents, string> {
  if (!Array.isArray(body)) return err('a SendGrid Event Webhook body is a JSON array of events');
  const parsed: ParsedEmailEvents = { events: [], skipped: [] };
  body.forEach((item, index) => {
    const event = readSendGridEvent(readObject(item), receivedAt);
    if (typeof event === 'string') parsed.skipped.push({ index, reason: event });
    else parsed.events.push(event);
  });
  return ok(parsed);
}

function readSendGridEvent(item: Record<string, unknown> | null, receivedAt: number): EmailEvent | string {
  if (item === null) return 'not an object';
  const name = readText(item.event) ?? '';
  const kind = KINDS[name];
  if (kind === undefined) return `\`${name}\` is not engagement`;
  const email = readEmail(item.email);
  if (email === null) return 'no recipient `email`';
  const messageId = readText(item.sg_message_id);
  const id = readText(item.sg_event_id) ?? `${messageId ?? email}:${name}:${readText(item.timestamp) ?? ''}`;
  return emailEvent({
    id,
    kind,
    email,
    occurredAt: readTime(item.timestamp) ?? receivedAt,
    bounce: kind === 'bounce' ? (readText(item.type) === 'blocked' ? 'soft' : 'hard') : null,
    campaign:
      readText(item.marketing_campaign_name) ?? readText(item.singlesend_name) ?? readText(item.campaign) ?? null,
    link: kind === 'click' ? readText(item.url) : null,
    tags: readTags(item.category),
    emailMessageId: messageId,
    reason: readText(item.reason),
    userAgent: readText(item.useragent),
    providerMachine: item.sg_machine_open === true,
  });
}
