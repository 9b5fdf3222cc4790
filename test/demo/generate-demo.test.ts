import { describe, expect, it } from 'vitest';
import { emailDomain, isFreeMailDomain } from '../../src/core/scoring/free-mail-domains.ts';
import { type DemoChunk, type DemoOptions, generateDemo } from '../../src/demo/generate-demo.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
/** Six calendar months before NOW. */
const START = Date.UTC(2026, 4, 23, 12, 0, 0);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function collect(options: DemoOptions): DemoChunk[] {
  return [...generateDemo(options)];
}

function countContacts(chunks: readonly DemoChunk[]): number {
  return chunks.reduce((sum, chunk) => sum + chunk.contacts.length, 0);
}

/** One run of 5,000 contacts, shared by the invariant tests below. */
const run = collect({ seed: 11, contacts: 5000, now: NOW });
const messages = run.flatMap((chunk) => chunk.messages);
const contacts = run.flatMap((chunk) => chunk.contacts);
const outcomes = run.flatMap((chunk) => chunk.outcomes);

describe('generateDemo', () => {
  it('gives identical output for identical options, and different output for another seed', () => {
    const options = { seed: 42, contacts: 300, now: NOW, months: 4 };
    const first = collect(options);
    expect(collect(options)).toEqual(first);
    expect(collect({ ...options, seed: 43 })).not.toEqual(first);
  });

  it.each([0, 1, 7, 1000])('produces exactly %i contacts', (count) => {
    const chunks = collect({ seed: 5, contacts: count, now: NOW });
    expect(countContacts(chunks)).toBe(count);
    for (const chunk of chunks) {
      expect(chunk.contacts.length).toBeGreaterThanOrEqual(1);
      expect(chunk.contacts.length).toBeLessThanOrEqual(8);
    }
  });

  it('makes message ids, user ids, emails and anonymous ids unique', () => {
    expect(contacts).toHaveLength(5000);
    expect(new Set(messages.map((message) => message.messageId)).size).toBe(messages.length);
    expect(new Set(contacts.map((contact) => contact.userId)).size).toBe(contacts.length);
    expect(new Set(contacts.map((contact) => contact.email)).size).toBe(contacts.length);
    const identifies = messages.flatMap((message) => (message.type === 'identify' ? [message] : []));
    const anonymousIdOwners = new Map<string, string>();
    for (const identify of identifies) {
      const owner = anonymousIdOwners.get(identify.anonymousId ?? '') ?? identify.userId;
      expect(owner).toBe(identify.userId);
      anonymousIdOwners.set(identify.anonymousId ?? '', identify.userId);
    }
    expect(messages[0]?.messageId).toBe('demo-11-0');
  });

  it('keeps every timestamp inside the history window and each chunk in time order', () => {
    // Plain checks in the loop, one assertion at the end: 120,000 `expect` calls are slow.
    const problems: string[] = [];
    for (const chunk of run) {
      let previous = Number.NEGATIVE_INFINITY;
      for (const message of chunk.messages) {
        const time = Date.parse(message.timestamp);
        if (!ISO.test(message.timestamp) || time < START || time > NOW || time < previous)
          problems.push(message.messageId);
        previous = time;
      }
      for (const outcome of chunk.outcomes) if (Date.parse(outcome.at) > NOW) problems.push(outcome.userId);
    }
    expect(problems).toEqual([]);
  });

  it('only mentions people of the same chunk, and identifies every one of them after anonymous browsing', () => {
    const problems: string[] = [];
    for (const chunk of run) {
      const userIds = new Set(chunk.contacts.map((contact) => contact.userId));
      for (const message of chunk.messages) {
        if (message.userId !== undefined && !userIds.has(message.userId))
          problems.push(`${message.messageId}: stranger`);
        if (message.type === 'group' && message.groupId !== chunk.company?.domain)
          problems.push(`${message.messageId}: group`);
      }
      for (const contact of chunk.contacts) {
        const identify = chunk.messages.find(
          (message) => message.type === 'identify' && message.userId === contact.userId,
        );
        if (identify?.type !== 'identify' || identify.traits.email !== contact.email) {
          problems.push(`${contact.userId}: not identified`);
          continue;
        }
        const first = chunk.messages.find(
          (message) => message.type === 'page' && message.anonymousId === identify.anonymousId,
        );
        if (first === undefined || first.userId !== undefined || first.timestamp > identify.timestamp) {
          problems.push(`${contact.userId}: no anonymous browsing first`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives free-mail people no company, and company people an address at their company', () => {
    let freeMail = 0;
    for (const chunk of run) {
      for (const contact of chunk.contacts) {
        const domain = emailDomain(contact.email) ?? '';
        if (chunk.company === null) {
          freeMail++;
          expect(contact.companyDomain).toBeNull();
          expect(isFreeMailDomain(domain)).toBe(true);
        } else {
          expect(contact.companyDomain).toBe(chunk.company.domain);
          expect(domain).toBe(chunk.company.domain);
          expect(isFreeMailDomain(domain)).toBe(false);
        }
      }
      if (chunk.company === null) expect(chunk.contacts).toHaveLength(1);
    }
    expect(freeMail / contacts.length).toBeGreaterThan(0.1);
    expect(freeMail / contacts.length).toBeLessThan(0.35);
  });

  it('makes companies whose revenue follows their size', () => {
    const companies = run.flatMap((chunk) => (chunk.company ? [chunk.company] : []));
    const revenuePerHead = (size: (employees: number) => boolean): number => {
      const group = companies.filter((company) => size(company.employees));
      return (
        group.reduce((sum, company) => sum + company.annualRevenue, 0) /
        group.reduce((sum, company) => sum + company.employees, 0)
      );
    };
    expect(new Set(companies.map((company) => company.domain)).size).toBe(companies.length);
    expect(companies.filter((company) => company.employees > 5000).length).toBeGreaterThan(0);
    expect(companies.filter((company) => company.employees <= 50).length).toBeGreaterThan(companies.length / 4);
    expect(revenuePerHead((employees) => employees <= 200)).toBeGreaterThan(50_000);
    expect(revenuePerHead((employees) => employees > 1000)).toBeLessThan(1_000_000);
    for (const company of companies) expect(company.foundedYear).toBeLessThanOrEqual(2026);
  });

  it('emits about 15 to 40 messages per contact', () => {
    const perContact = messages.length / contacts.length;
    expect(perContact).toBeGreaterThan(15);
    expect(perContact).toBeLessThan(40);
  });

  it('lets hidden intent carry signal: demo requesters win far more often, and the won rate is sensible', () => {
    const requesters = new Set(
      messages.flatMap((message) =>
        message.type === 'track' && message.event === 'Demo Requested' && message.userId ? [message.userId] : [],
      ),
    );
    const won = new Set(outcomes.filter((outcome) => outcome.outcome === 'won').map((outcome) => outcome.userId));
    const wonWithDemo = [...won].filter((userId) => requesters.has(userId)).length;
    const rateWithDemo = wonWithDemo / requesters.size;
    const rateWithout = (won.size - wonWithDemo) / (contacts.length - requesters.size);
    expect(rateWithDemo).toBeGreaterThan(5 * rateWithout);
    expect(won.size / contacts.length).toBeGreaterThan(0.01);
    expect(won.size / contacts.length).toBeLessThan(0.05);
    expect(requesters.size / contacts.length).toBeGreaterThan(0.03);
    expect(requesters.size / contacts.length).toBeLessThan(0.2);
  });

  it('dates every outcome after the hand-raise it follows', () => {
    const handRaisedAt = new Map<string, number>();
    const handRaises = new Set(['Demo Requested', 'Contact Sales Requested', 'Trial Started']);
    for (const message of messages) {
      if (message.type !== 'track' || !message.userId || !handRaises.has(message.event)) continue;
      const time = Date.parse(message.timestamp);
      handRaisedAt.set(message.userId, Math.min(time, handRaisedAt.get(message.userId) ?? time));
    }
    expect(outcomes.length).toBeGreaterThan(0);
    for (const outcome of outcomes) {
      expect(Date.parse(outcome.at)).toBeGreaterThan(handRaisedAt.get(outcome.userId) ?? Number.POSITIVE_INFINITY);
    }
  });

  it('tags landing pages with their source and sends every event name the playbook knows', () => {
    const sources = new Set(
      messages.flatMap((message) =>
        message.type === 'page' && typeof message.properties.utm_source === 'string'
          ? [message.properties.utm_source]
          : [],
      ),
    );
    expect([...sources].sort()).toEqual(['google', 'linkedin', 'newsletter']);
    const events = new Set(messages.flatMap((message) => (message.type === 'track' ? [message.event] : [])));
    for (const event of [
      'Ebook Downloaded',
      'Webinar Registered',
      'Webinar Attended',
      'Email Opened',
      'Email Clicked',
      'Email Bounced',
      'Unsubscribed',
      'Pricing Viewed',
      'Trial Started',
      'Demo Requested',
      'Contact Sales Requested',
      'Social Engaged',
    ]) {
      expect(events).toContain(event);
    }
    const paths = new Set(
      messages.flatMap((message) => (message.type === 'page' ? [String(message.properties.path).split('/')[1]] : [])),
    );
    for (const section of [
      '',
      'blog',
      'product',
      'features',
      'pricing',
      'customers',
      'integrations',
      'docs',
      'careers',
      'demo',
      'contact',
    ]) {
      expect(paths).toContain(section);
    }
  });

  it('honours `months`', () => {
    const chunks = collect({ seed: 2, contacts: 200, now: NOW, months: 1 });
    const from = Date.UTC(2026, 9, 23, 12);
    for (const message of chunks.flatMap((chunk) => chunk.messages))
      expect(Date.parse(message.timestamp)).toBeGreaterThanOrEqual(from);
  });

  it.each([
    { name: 'a negative contact count', options: { seed: 1, contacts: -1, now: NOW } },
    { name: 'a fractional contact count', options: { seed: 1, contacts: 1.5, now: NOW } },
    { name: 'a seed that is not a safe integer', options: { seed: 0.5, contacts: 1, now: NOW } },
    { name: 'zero months', options: { seed: 1, contacts: 1, now: NOW, months: 0 } },
    { name: 'a time that is not a number', options: { seed: 1, contacts: 1, now: Number.NaN } },
  ])('rejects $name', ({ options }) => {
    expect(() => collect(options)).toThrow(RangeError);
  });
});
