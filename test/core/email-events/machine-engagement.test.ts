import { describe, expect, it } from 'vitest';
import { detectMachineEngagement } from '../../../src/core/email-events/detect-machine-engagement.ts';
import { type EmailEvent, emailEvent } from '../../../src/core/email-events/email-event.ts';
import { toEmailMessages } from '../../../src/core/email-events/email-event-messages.ts';
import { matchesEvent } from '../../../src/core/scoring/match-condition.ts';

const AT = Date.UTC(2026, 4, 4, 12);
const PERSON = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)';

function event(fields: Partial<EmailEvent>): EmailEvent {
  return emailEvent({ id: 'e', kind: 'open', email: 'ann@example.com', occurredAt: AT, ...fields });
}

describe('machine opens and clicks', () => {
  const cases: Array<[string, Partial<EmailEvent>, ReturnType<typeof detectMachineEngagement>]> = [
    ['a person opening in Apple Mail', { userAgent: PERSON }, null],
    [
      'the provider flagging an open (SendGrid sg_machine_open, Mailgun bot, Brevo proxy_open)',
      { providerMachine: true },
      'provider-flagged',
    ],
    ["Apple's privacy proxy, a bare Mozilla/5.0", { userAgent: 'Mozilla/5.0' }, 'apple-privacy-proxy'],
    ['a bare Mozilla/5.0 on a click is no proxy', { kind: 'click', userAgent: 'Mozilla/5.0' }, null],
    [
      'a mail gateway following a link',
      { kind: 'click', userAgent: 'Mozilla/5.0 (compatible; Barracuda Sentinel)' },
      'security-scanner',
    ],
    ['a script fetching a link', { kind: 'click', userAgent: 'python-requests/2.31' }, 'security-scanner'],
    [
      'a click 3 seconds after sending',
      { kind: 'click', userAgent: PERSON, sentAt: AT - 3_000 },
      'clicked-right-after-send',
    ],
    ['a click a minute after sending', { kind: 'click', userAgent: PERSON, sentAt: AT - 60_000 }, null],
    ['a bounce is never a machine’s engagement', { kind: 'bounce', providerMachine: true }, null],
  ];
  it.each(cases)('%s', (_name, fields, expected) => {
    expect(detectMachineEngagement(event(fields))).toBe(expected);
  });

  it('are stored flagged, and rules skip them unless they say includeMachine', () => {
    const [machine] = toEmailMessages([event({ userAgent: 'Mozilla/5.0' })], 'postmark', AT);
    const [person] = toEmailMessages([event({ id: 'p', userAgent: PERSON })], 'postmark', AT);
    expect(machine?.properties).toMatchObject({ machine: true, machineReason: 'apple-privacy-proxy' });
    expect(person?.properties.machine).toBeUndefined();
    const rule = { type: 'track' as const, name: 'Email Opened' };
    const stored = (message: typeof machine) => ({
      type: 'track' as const,
      name: message?.name ?? null,
      properties: message?.properties ?? {},
    });
    expect(matchesEvent(rule, stored(person))).toBe(true);
    expect(matchesEvent(rule, stored(machine))).toBe(false);
    expect(matchesEvent({ ...rule, includeMachine: true }, stored(machine))).toBe(true);
  });
});

describe('what an email event is stored as', () => {
  it('a hard bounce is an event and an identify marking the address undeliverable; a soft one only an event', () => {
    const messages = toEmailMessages(
      [event({ id: 'b1', kind: 'bounce', bounce: 'hard' }), event({ id: 'b2', kind: 'bounce', bounce: 'soft' })],
      'sendgrid',
      AT,
    );
    expect(messages.map((message) => [message.messageId, message.type, message.name, message.traits])).toEqual([
      ['email:sendgrid:b1', 'track', 'Email Bounced', null],
      ['email:sendgrid:b1:contact', 'identify', null, { emailStatus: 'undeliverable' }],
      ['email:sendgrid:b2', 'track', 'Email Bounced', null],
    ]);
    expect(messages[0]?.properties).toMatchObject({
      provider: 'sendgrid',
      bounceType: 'hard',
      email: 'ann@example.com',
    });
  });

  it('a complaint marks the address undeliverable, an unsubscribe records the opt-out', () => {
    const messages = toEmailMessages(
      [event({ id: 'c', kind: 'complaint' }), event({ id: 'u', kind: 'unsubscribe' })],
      'ses',
      AT,
    );
    expect(messages.map((message) => message.name ?? message.traits)).toEqual([
      'Email Marked as Spam',
      { emailStatus: 'undeliverable' },
      'Unsubscribed',
      { emailConsent: 'unsubscribed' },
    ]);
  });

  it('an event reported as later than it arrived is kept at its arrival', () => {
    const [message] = toEmailMessages([event({ occurredAt: AT + 60_000 })], 'brevo', AT);
    expect(message?.occurredAt).toBe(AT);
  });
});
