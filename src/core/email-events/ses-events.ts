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

/** SES's `mail.tags` / `click.linkTags`: a map of tag name to values; `ses:` ones are SES's own. */
function readSesTags(...maps: unknown[]): { campaign: string | null; tags: string[] } {
  let campaign: string | null = null;
  const values: unknown[] = [];
  for (const map of maps) {
    for (const [name, value] of Object.entries(readObject(map) ?? {})) {
      if (name.startsWith('ses:') || name.startsWith('aws:')) continue;
      if (name === 'campaign') campaign ??= readTags(value)[0] ?? null;
      else values.push(value);
    }
  }
  return { campaign, tags: readTags(...values) };
}

function recipientsOf(list: unknown, field: string | null): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const email = readEmail(field === null ? item : readObject(item)?.[field]);
    return email === null ? [] : [email];
  });
}

/**
 * Amazon SES events as SNS delivers them (the notification's `Message`, JSON): event publishing
 * (`eventType`) or identity notifications (`notificationType`). Bounces, complaints and
 * deliveries name their recipients; an open or click names none, so it belongs to the mail's
 * single destination. Ids are `mail.messageId` with the event type and recipient.
 */
export function parseSesEvents(message: string, receivedAt: number): Result<ParsedEmailEvents, string> {
  let body: unknown;
  try {
    body = JSON.parse(message);
  } catch {
    return err(
      'the SNS notification `Message` is not JSON: point the SNS topic at SES event publishing or notifications',
    );
  }
  const record = readObject(body);
  const mail = readObject(record?.mail);
  const type = readText(record?.eventType) ?? readText(record?.notificationType);
  const mailId = readText(mail?.messageId);
  if (record === null || mail === null || type === null || mailId === null) {
    return err('an SES event has `eventType` (or `notificationType`) and `mail.messageId`');
  }
  const { campaign, tags } = readSesTags(mail.tags);
  const sentAt = readTime(mail.timestamp);
  const base = { campaign, tags, emailMessageId: mailId, sentAt };
  const id = (email: string, suffix = '') => `${mailId}:${type}:${email}${suffix}`;
  const destinations = recipientsOf(mail.destination, null);
  const single = destinations.length === 1 ? destinations[0]! : null;
  const events: EmailEvent[] = [];
  const skipped: ParsedEmailEvents['skipped'] = [];
  switch (type) {
    case 'Delivery': {
      const delivery = readObject(record.delivery);
      const at = readTime(delivery?.timestamp) ?? receivedAt;
      for (const email of recipientsOf(delivery?.recipients, null)) {
        events.push(emailEvent({ ...base, id: id(email), kind: 'delivered', email, occurredAt: at }));
      }
      break;
    }
    case 'Bounce': {
      const bounce = readObject(record.bounce);
      const at = readTime(bounce?.timestamp) ?? receivedAt;
      const hard = readText(bounce?.bounceType) === 'Permanent' ? 'hard' : 'soft';
      const reason = readText(bounce?.bounceSubType);
      for (const email of recipientsOf(bounce?.bouncedRecipients, 'emailAddress')) {
        events.push(
          emailEvent({ ...base, id: id(email), kind: 'bounce', bounce: hard, reason, email, occurredAt: at }),
        );
      }
      break;
    }
    case 'Complaint': {
      const complaint = readObject(record.complaint);
      const at = readTime(complaint?.timestamp) ?? receivedAt;
      const reason = readText(complaint?.complaintFeedbackType);
      for (const email of recipientsOf(complaint?.complainedRecipients, 'emailAddress')) {
        events.push(emailEvent({ ...base, id: id(email), kind: 'complaint', reason, email, occurredAt: at }));
      }
      break;
    }
    case 'Open':
    case 'Click': {
      const detail = readObject(type === 'Open' ? record.open : record.click);
      if (single === null) {
        skipped.push({
          index: 0,
          reason: `an ${type} of a mail to ${destinations.length} recipients names none of them`,
        });
        break;
      }
      const at = readTime(detail?.timestamp) ?? receivedAt;
      const link = type === 'Click' ? readText(detail?.link) : null;
      const linkTags = readSesTags(mail.tags, detail?.linkTags);
      events.push(
        emailEvent({
          ...base,
          tags: linkTags.tags,
          id: id(single, `:${readText(detail?.timestamp) ?? ''}${link === null ? '' : `:${link}`}`),
          kind: type === 'Open' ? 'open' : 'click',
          email: single,
          occurredAt: at,
          link,
          userAgent: readText(detail?.userAgent),
        }),
      );
      break;
    }
    case 'Subscription': {
      const subscription = readObject(record.subscription);
      const preferences = readObject(subscription?.newTopicPreferences);
      if (single === null || preferences?.unsubscribeAll !== true) {
        skipped.push({ index: 0, reason: 'not an unsubscribe from all topics by one recipient' });
        break;
      }
      const at = readTime(subscription?.timestamp) ?? receivedAt;
      events.push(emailEvent({ ...base, id: id(single), kind: 'unsubscribe', email: single, occurredAt: at }));
      break;
    }
    default:
      skipped.push({ index: 0, reason: `\`${type}\` is not engagement` });
  }
  return ok({ events, skipped });
}
