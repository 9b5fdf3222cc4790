import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBrevoEvents } from '../../../src/core/email-events/brevo-events.ts';
import type { ParsedEmailEvents } from '../../../src/core/email-events/email-event.ts';
import { parseGenericEvents } from '../../../src/core/email-events/generic-events.ts';
import { parseMailgunEvents } from '../../../src/core/email-events/mailgun-events.ts';
import { parsePostmarkEvents } from '../../../src/core/email-events/postmark-events.ts';
import { parseSendGridEvents } from '../../../src/core/email-events/sendgrid-events.ts';
import { parseSesEvents } from '../../../src/core/email-events/ses-events.ts';
import type { Result } from '../../../src/core/result.ts';

const NOW = Date.UTC(2026, 4, 4, 12);

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../fixtures/email-events/${name}.json`, import.meta.url), 'utf8'));
}

function parsed(result: Result<ParsedEmailEvents, string>): ParsedEmailEvents {
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

/** What a test checks of an event; the rest is provider detail. */
function summary(result: Result<ParsedEmailEvents, string>) {
  return parsed(result).events.map((event) => ({
    kind: event.kind,
    email: event.email,
    ...(event.bounce ? { bounce: event.bounce } : {}),
    ...(event.campaign ? { campaign: event.campaign } : {}),
    ...(event.link ? { link: event.link } : {}),
    tags: event.tags,
    ...(event.providerMachine ? { machine: true } : {}),
  }));
}

describe('each provider’s documented payloads become email events', () => {
  it('SendGrid: a batch keeps engagement, skips processing, reads categories, campaign and link', () => {
    const result = parseSendGridEvents(fixture('sendgrid'), NOW);
    expect(parsed(result).skipped).toEqual([{ index: 0, reason: '`processed` is not engagement' }]);
    expect(summary(result)).toEqual([
      { kind: 'delivered', email: 'example@test.com', tags: ['cat facts'] },
      { kind: 'open', email: 'example@test.com', tags: ['cat facts'] },
      {
        kind: 'click',
        email: 'example@test.com',
        campaign: 'Spring launch',
        link: 'http://www.sendgrid.com/',
        tags: ['cat facts', 'newsletter'],
      },
      { kind: 'bounce', email: 'example@test.com', bounce: 'hard', tags: ['cat facts'] },
      { kind: 'complaint', email: 'example@test.com', tags: [] },
      { kind: 'unsubscribe', email: 'example@test.com', tags: ['cat facts'] },
    ]);
    expect(parsed(result).events.map((event) => event.id)[0]).toBe('rWVYmVk90MjZJ9iohOBa3w==');
    expect(parsed(result).events[0]?.occurredAt).toBe(1513299569_000);
  });

  it('SendGrid: `sg_machine_open` and a `blocked` bounce', () => {
    const result = parseSendGridEvents(
      [
        { event: 'open', email: 'a@b.co', timestamp: 1, sg_event_id: 'x', sg_machine_open: true },
        { event: 'bounce', type: 'blocked', email: 'a@b.co', timestamp: 1, sg_event_id: 'y' },
      ],
      NOW,
    );
    expect(summary(result)).toEqual([
      { kind: 'open', email: 'a@b.co', tags: [], machine: true },
      { kind: 'bounce', email: 'a@b.co', bounce: 'soft', tags: [] },
    ]);
  });

  it('Mailgun: an open with tags and a campaign in user variables; a permanent failure is a hard bounce', () => {
    expect(summary(parseMailgunEvents(fixture('mailgun-opened'), NOW))).toEqual([
      { kind: 'open', email: 'alice@example.com', campaign: 'spring-launch', tags: ['my_tag_1', 'my_tag_2'] },
    ]);
    const failed = parseMailgunEvents(fixture('mailgun-failed'), NOW);
    expect(summary(failed)).toEqual([
      { kind: 'bounce', email: 'alice@example.com', bounce: 'hard', tags: ['my_tag_1', 'my_tag_2'] },
    ]);
    expect(parsed(failed).events[0]?.id).toBe('G9Bn5sl1TC6nu79C8C0bwg');
  });

  it('Mailgun: `client-info.bot` flags Apple Mail Privacy Protection', () => {
    const body = fixture('mailgun-opened');
    const data = body['event-data'] as Record<string, unknown>;
    const opened = { ...body, 'event-data': { ...data, 'client-info': { 'user-agent': 'Mozilla/5.0', bot: 'apple' } } };
    expect(summary(parseMailgunEvents(opened, NOW))[0]?.machine).toBe(true);
  });

  it('Postmark: every record type, the tag, a campaign from metadata; ids tell records of one message apart', () => {
    const records = fixture('postmark');
    const all = Object.values(records).map((record) => parsePostmarkEvents(record, NOW));
    expect(all.flatMap(summary)).toEqual([
      { kind: 'delivered', email: 'john@example.com', tags: ['welcome-email'] },
      { kind: 'open', email: 'john@example.com', campaign: 'welcome-series', tags: ['welcome-email'] },
      { kind: 'click', email: 'john@example.com', link: 'https://example.com', tags: ['welcome-email'] },
      { kind: 'bounce', email: 'john@example.com', bounce: 'hard', tags: ['Test'] },
      { kind: 'complaint', email: 'john@example.com', tags: ['Test'] },
      { kind: 'unsubscribe', email: 'john@example.com', tags: ['my-tag'] },
    ]);
    const ids = all.flatMap((result) => parsed(result).events.map((event) => event.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('Postmark: a suppression Postmark made after a bounce is no unsubscribe', () => {
    const change = { ...(fixture('postmark').subscriptionChange as object), SuppressionReason: 'HardBounce' };
    expect(parsed(parsePostmarkEvents(change, NOW)).skipped).toEqual([
      { index: 0, reason: 'not an unsubscribe by the recipient' },
    ]);
  });

  it('Amazon SES: bounce, open (campaign from tags), click (link tags), complaint', () => {
    const records = fixture('ses');
    const all = Object.values(records).map((record) => parseSesEvents(JSON.stringify(record), NOW));
    expect(all.flatMap(summary)).toEqual([
      { kind: 'bounce', email: 'recipient@example.com', bounce: 'hard', tags: [] },
      { kind: 'open', email: 'recipient@example.com', campaign: 'spring-launch', tags: [] },
      {
        kind: 'click',
        email: 'recipient@example.com',
        link: 'http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html',
        tags: ['samplevalue0', 'samplevalue1'],
      },
      { kind: 'complaint', email: 'recipient@example.com', tags: [] },
    ]);
    expect(parsed(all[0]!).events[0]?.id).toBe(
      'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000:Bounce:recipient@example.com',
    );
  });

  it('Brevo: transactional click and hard bounce, a proxy open, a marketing open with its campaign', () => {
    const records = fixture('brevo');
    expect(summary(parseBrevoEvents(Object.values(records), NOW))).toEqual([
      {
        kind: 'click',
        email: 'example@domain.com',
        link: 'https://example.com',
        tags: ['myFirstTransactional', 'transactionalTag'],
      },
      {
        kind: 'bounce',
        email: 'example@domain.com',
        bounce: 'hard',
        tags: ['myFirstTransactional', 'transactionalTag'],
      },
      { kind: 'open', email: 'example@domain.com', tags: ['myFirstTransactional', 'transactionalTag'], machine: true },
      { kind: 'open', email: 'example@domain.com', campaign: 'My First Campaign', tags: [] },
    ]);
  });

  it('generic: a mapping names the fields and the type names', () => {
    const mapping = {
      events: 'data',
      fields: { id: 'uuid', type: 'kind', email: 'to', timestamp: 'at', link: 'url', tags: 'labels', campaign: 'list' },
      types: { click: ['link_clicked'], hardBounce: ['bounced'] },
    };
    const body = {
      data: [
        {
          uuid: 'e1',
          kind: 'link_clicked',
          to: 'Ann <ANN@example.com>',
          at: '2026-05-01T10:00:00Z',
          url: 'https://x.io',
          labels: ['promo'],
          list: 'May',
        },
        { uuid: 'e2', kind: 'bounced', to: 'ann@example.com', at: 1777000000 },
        { uuid: 'e3', kind: 'queued', to: 'ann@example.com' },
      ],
    };
    const result = parseGenericEvents(body, mapping, NOW);
    expect(summary(result)).toEqual([
      { kind: 'click', email: 'ann@example.com', campaign: 'May', link: 'https://x.io', tags: ['promo'] },
      { kind: 'bounce', email: 'ann@example.com', bounce: 'hard', tags: [] },
    ]);
    expect(parsed(result).skipped).toEqual([{ index: 2, reason: 'type `queued` is not mapped to an email event' }]);
    expect(parseGenericEvents({ data: 5 }, mapping, NOW)).toEqual({
      ok: false,
      error: 'the mapping reads events from `data`, which is not an array or object in this body',
    });
  });
});
