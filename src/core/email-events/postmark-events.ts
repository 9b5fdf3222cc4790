import { err, ok, type Result } from '../result.ts';
import {
  type EmailEvent,
  emailEvent,
  type ParsedEmailEvents,
  readEmail,
  readObject,
  readTags,
  readText,
  readTime,
} from './email-event.ts';

/** Bounce types that say the address will not take mail again; the rest may clear up. */
const HARD_BOUNCES = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated']);
/** Bounce records that are no bounce at all (auto-replies, subscription mail, tests). */
const NOT_BOUNCES = new Set(['AutoResponder', 'Subscribe', 'Unsubscribe', 'OpenRelayTest', 'ChallengeVerification']);

/**
 * Postmark webhooks: one record per POST, told apart by `RecordType` (Delivery, Open, Click,
 * Bounce, SpamComplaint, SubscriptionChange). Records of one message share its `MessageID`;
 * Postmark resends a record unchanged, so `MessageID` with the record type (and for opens and
 * clicks its time) identifies it. `Tag` is the one tag; `Metadata.campaign` a campaign.
 * Postmark does not sign its webhooks: the URL's basic-auth credentials authenticate them.
 */
export function parsePostmarkEvents(body: unknown, receivedAt: number): Result<ParsedEmailEvents, string> {
  const record = readObject(body);
  const type = readText(record?.RecordType);
  if (record === null || type === null) return err('a Postmark webhook body is one JSON record with a `RecordType`');
  const event = readPostmarkRecord(record, type, receivedAt);
  return ok(
    typeof event === 'string'
      ? { events: [], skipped: [{ index: 0, reason: event }] }
      : { events: [event], skipped: [] },
  );
}

function readPostmarkRecord(record: Record<string, unknown>, type: string, receivedAt: number): EmailEvent | string {
  const messageId = readText(record.MessageID);
  const email = readEmail(record.Recipient) ?? readEmail(record.Email);
  if (email === null) return 'no `Recipient` or `Email`';
  const metadata = readObject(record.Metadata);
  const common = {
    email,
    emailMessageId: messageId,
    campaign: readText(metadata?.campaign),
    tags: readTags(record.Tag),
    userAgent: readText(record.UserAgent),
  };
  const key = messageId ?? email;
  switch (type) {
    case 'Delivery':
      return emailEvent({ ...common, id: `${key}:Delivery`, kind: 'delivered', occurredAt: time(record.DeliveredAt) });
    case 'Open': {
      const at = time(record.ReceivedAt);
      return emailEvent({ ...common, id: `${key}:Open:${readText(record.ReceivedAt)}`, kind: 'open', occurredAt: at });
    }
    case 'Click': {
      const at = time(record.ReceivedAt);
      const link = readText(record.OriginalLink);
      return emailEvent({
        ...common,
        id: `${key}:Click:${readText(record.ReceivedAt)}:${link}`,
        kind: 'click',
        link,
        occurredAt: at,
      });
    }
    case 'Bounce': {
      const bounceType = readText(record.Type) ?? '';
      if (NOT_BOUNCES.has(bounceType)) return `bounce type \`${bounceType}\` is not a delivery failure`;
      const id = `${readText(record.ID) ?? key}:Bounce`;
      const bounce = HARD_BOUNCES.has(bounceType) ? 'hard' : 'soft';
      return emailEvent({
        ...common,
        id,
        kind: 'bounce',
        bounce,
        reason: readText(record.Description),
        occurredAt: time(record.BouncedAt),
      });
    }
    case 'SpamComplaint':
      return emailEvent({
        ...common,
        id: `${readText(record.ID) ?? key}:SpamComplaint`,
        kind: 'complaint',
        occurredAt: time(record.BouncedAt),
      });
    case 'SubscriptionChange':
      // Postmark also reports suppressions it made itself after a bounce or complaint; only the recipient's own counts.
      if (record.SuppressSending !== true || readText(record.SuppressionReason) !== 'ManualSuppression') {
        return 'not an unsubscribe by the recipient';
      }
      return emailEvent({
        ...common,
        id: `${key}:SubscriptionChange:${readText(record.ChangedAt)}`,
        kind: 'unsubscribe',
        occurredAt: time(record.ChangedAt),
      });
    default:
      return `record type \`${type}\` is not engagement`;
  }

  function time(value: unknown): number {
    return readTime(value) ?? receivedAt;
  }
}
