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

const KINDS: Record<string, { kind: EmailEventKind; bounce?: 'hard' | 'soft'; machine?: true }> = {
  delivered: { kind: 'delivered' },
  opened: { kind: 'open' },
  unique_opened: { kind: 'open' },
  proxy_open: { kind: 'open', machine: true },
  unique_proxy_open: { kind: 'open', machine: true },
  click: { kind: 'click' },
  hard_bounce: { kind: 'bounce', bounce: 'hard' },
  invalid_email: { kind: 'bounce', bounce: 'hard' },
  soft_bounce: { kind: 'bounce', bounce: 'soft' },
  spam: { kind: 'complaint' },
  unsubscribe: { kind: 'unsubscribe' },
  unsubscribed: { kind: 'unsubscribe' },
};

/**
 * Brevo webhooks, transactional and marketing: one event per POST (or an array of them),
 * with `event`, `email`, `ts_event` (seconds), `message-id` (transactional) or `camp_id`
 * (marketing), `tags`/`tag`, `link` or `URL` on clicks, and `proxy_open` events for opens
 * Brevo recognised as Apple Mail Privacy Protection's. Brevo's `id` is the webhook's, not the
 * event's: the event is identified by message or campaign, recipient, event and time.
 */
export function parseBrevoEvents(body: unknown, receivedAt: number): Result<ParsedEmailEvents, string> {
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0 || items.some((item) => readObject(item) === null)) {
    return err('a Brevo webhook body is a JSON event object (or an array of them) with `event` and `email`');
  }
  const parsed: ParsedEmailEvents = { events: [], skipped: [] };
  items.forEach((item, index) => {
    const event = readBrevoEvent(readObject(item) ?? {}, receivedAt);
    if (typeof event === 'string') parsed.skipped.push({ index, reason: event });
    else parsed.events.push(event);
  });
  return ok(parsed);
}

/** Brevo's transactional `tag` is the tag list as JSON text (`"[\"welcome\"]"`); a marketing `tag` is plain text. */
function brevoTag(tag: unknown): unknown {
  if (typeof tag !== 'string' || !tag.trim().startsWith('[')) return tag;
  try {
    return JSON.parse(tag);
  } catch {
    return tag;
  }
}

function readBrevoEvent(item: Record<string, unknown>, receivedAt: number): EmailEvent | string {
  const name = readText(item.event) ?? '';
  const known = KINDS[name];
  if (known === undefined) return `\`${name}\` is not engagement`;
  const email = readEmail(item.email);
  if (email === null) return 'no recipient `email`';
  const messageId = readText(item['message-id']);
  const campaignId = readText(item.camp_id);
  const link = known.kind === 'click' ? (readText(item.link) ?? readText(item.URL)) : null;
  const time = readText(item.ts_event) ?? readText(item.ts) ?? readText(item.date_event) ?? '';
  const source = messageId ?? (campaignId === null ? email : `campaign-${campaignId}:${email}`);
  return emailEvent({
    id: `${source}:${name}:${time}${link === null ? '' : `:${link}`}`,
    kind: known.kind,
    email,
    occurredAt: readTime(item.ts_event) ?? readTime(item.ts) ?? readTime(item.date_event) ?? receivedAt,
    bounce: known.bounce ?? null,
    campaign:
      readText(item['campaign name']) ?? readText(item.campaign_name) ?? (campaignId === null ? null : campaignId),
    link,
    tags: readTags(item.tags, brevoTag(item.tag)),
    emailMessageId: messageId,
    reason: readText(item.reason),
    userAgent: readText(item.user_agent),
    providerMachine: known.machine === true,
    // Marketing events say when the campaign went out; a transactional `ts_epoch` is not reliably the send time.
    sentAt: readTime(item.ts_sent),
  });
}
