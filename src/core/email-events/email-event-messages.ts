import type { NormalizedMessage } from '../ingest/segment-message.ts';
import { assertUnreachable } from '../result.ts';
import { detectMachineEngagement } from './detect-machine-engagement.ts';
import type { EmailEvent, EmailEventKind, EmailProvider } from './email-event.ts';

/**
 * The track event names email engagement is stored under: those of Segment's email spec,
 * which the default playbook already scores ("Email Opened", "Email Clicked", …).
 */
export function emailEventName(kind: EmailEventKind): string {
  switch (kind) {
    case 'delivered':
      return 'Email Delivered';
    case 'open':
      return 'Email Opened';
    case 'click':
      return 'Email Clicked';
    case 'bounce':
      return 'Email Bounced';
    case 'complaint':
      return 'Email Marked as Spam';
    case 'unsubscribe':
      return 'Unsubscribed';
    default:
      return assertUnreachable(kind);
  }
}

/**
 * The contact field a hard bounce or a spam complaint sets (`contact.emailStatus`), and the
 * one an unsubscribe sets (`contact.emailConsent`): playbooks read them in fit rules and criteria.
 */
export const UNDELIVERABLE = 'undeliverable';
export const UNSUBSCRIBED = 'unsubscribed';

function contactTraits(event: EmailEvent): Record<string, string> | null {
  if ((event.kind === 'bounce' && event.bounce === 'hard') || event.kind === 'complaint') {
    return { emailStatus: UNDELIVERABLE };
  }
  if (event.kind === 'unsubscribe') return { emailConsent: UNSUBSCRIBED };
  return null;
}

function properties(event: EmailEvent, provider: EmailProvider): Record<string, unknown> {
  const machine = detectMachineEngagement(event);
  const optional: Record<string, unknown> = {
    campaign: event.campaign,
    link: event.link,
    bounceType: event.bounce,
    reason: event.reason,
    emailMessageId: event.emailMessageId,
    userAgent: event.userAgent,
  };
  return {
    provider,
    email: event.email,
    tags: event.tags,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== null)),
    ...(machine === null ? {} : { machine: true, machineReason: machine }),
  };
}

/**
 * The messages an email event is stored as, on the contact with the recipient's address
 * (created if new, as an identify by email would): a track event, and for a hard bounce, a
 * complaint or an unsubscribe an identify that records it on the contact. Message ids derive
 * from the provider's event id, so a retried webhook is recognised and stored once.
 */
export function toEmailMessages(
  events: readonly EmailEvent[],
  provider: EmailProvider,
  receivedAt: number,
): NormalizedMessage[] {
  return events.flatMap((event) => {
    const messageId = `email:${provider}:${event.id}`;
    const occurredAt = Math.min(event.occurredAt, receivedAt);
    const common = {
      userId: null,
      anonymousId: null,
      email: event.email,
      groupId: null,
      company: null,
      context: {},
      source: `email:${provider}`,
      occurredAt,
      receivedAt,
    };
    const track: NormalizedMessage = {
      ...common,
      messageId,
      type: 'track',
      name: emailEventName(event.kind),
      traits: null,
      properties: properties(event, provider),
    };
    const traits = contactTraits(event);
    if (traits === null) return [track];
    const identify: NormalizedMessage = {
      ...common,
      messageId: `${messageId}:contact`,
      type: 'identify',
      name: null,
      traits,
      properties: {},
    };
    return [track, identify];
  });
}
