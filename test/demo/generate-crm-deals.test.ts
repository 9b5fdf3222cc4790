import { describe, expect, it } from 'vitest';
import { demoFit } from '../../src/demo/create-demo-contact.ts';
import { findIndustry, findSizeBand } from '../../src/demo/demo-vocabulary.ts';
import { type CrmChunk, type CrmDealsOptions, generateCrmDeals } from '../../src/demo/generate-crm-deals.ts';
import { generateDemo } from '../../src/demo/generate-demo.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
/** Where the story starts, six calendar months before NOW: the CRM's history ends there. */
const UNTIL = Date.UTC(2026, 4, 23, 12, 0, 0);
/** Six calendar months before UNTIL. */
const FROM = Date.UTC(2025, 10, 23, 12, 0, 0);

function collect(options: CrmDealsOptions): CrmChunk[] {
  return [...generateCrmDeals(options)];
}

const options: CrmDealsOptions = { seed: 42, deals: 280, until: UNTIL, months: 6, storyContacts: 300 };
const run = collect(options);
const deals = run.flatMap((chunk) => chunk.deals);
const contacts = run.flatMap((chunk) => chunk.contacts);
const messages = run.flatMap((chunk) => chunk.messages);

/** How the person first came to the site: the landing page of their anonymous first visit. */
function firstTouchOf(chunk: CrmChunk, email: string): 'direct' | 'paid-social' | 'other' {
  const identify = chunk.messages.find((message) => message.type === 'identify' && message.traits.email === email);
  if (identify?.type !== 'identify') throw new Error(`${email} is never identified`);
  const landing = chunk.messages.find(
    (message) => message.type === 'page' && message.anonymousId === identify.anonymousId,
  );
  if (landing?.type !== 'page') throw new Error(`${email} has no first visit`);
  const { referrer, utm_medium: medium } = landing.properties;
  if (medium === 'paid-social') return 'paid-social';
  return referrer === '' && medium === undefined ? 'direct' : 'other';
}

function fitOf(chunk: CrmChunk, email: string): number {
  const contact = chunk.contacts.find((candidate) => candidate.email === email);
  if (contact === undefined) throw new Error(`a deal for a stranger: ${email}`);
  if (chunk.company === null) return demoFit(contact, null);
  const band = findSizeBand(chunk.company.employees);
  const industry = findIndustry(chunk.company.industry);
  if (band === undefined || industry === undefined) throw new Error(`${chunk.company.domain} has no band or industry`);
  return demoFit(contact, { band, industry });
}

function winRate(outcomes: readonly { won: boolean }[]): number {
  return outcomes.filter((outcome) => outcome.won).length / outcomes.length;
}

describe('generateCrmDeals', () => {
  it('gives identical deals for identical options, and other deals for another seed', () => {
    expect(collect(options)).toEqual(run);
    expect(collect({ ...options, seed: 43 })).not.toEqual(run);
  });

  it.each([0, 1, 280])('produces exactly %i deals, one per person', (count) => {
    const chunks = collect({ ...options, deals: count });
    expect(chunks.flatMap((chunk) => chunk.deals)).toHaveLength(count);
    for (const chunk of chunks) {
      expect(chunk.deals.map((deal) => deal.email)).toEqual(chunk.contacts.map((contact) => contact.email));
    }
  });

  it('closes every deal inside the CRM window, with an amount, and a reason when lost', () => {
    for (const deal of deals) {
      expect(deal.closedAt).toBeGreaterThan(FROM);
      expect(deal.closedAt).toBeLessThanOrEqual(UNTIL);
      expect(deal.amount).toBeGreaterThan(0);
      expect(deal.lostReason === null).toBe(deal.outcome === 'won');
    }
    expect(new Set(deals.map((deal) => deal.dealId)).size).toBe(deals.length);
    expect(winRate(deals.map((deal) => ({ won: deal.outcome === 'won' })))).toBeGreaterThan(0.15);
    expect(winRate(deals.map((deal) => ({ won: deal.outcome === 'won' })))).toBeLessThan(0.4);
  });

  it('shares no company, address, user id or message id with the story of the same seed', () => {
    const story = [...generateDemo({ seed: 42, contacts: 300, now: NOW })];
    const storyDomains = new Set(story.flatMap((chunk) => (chunk.company ? [chunk.company.domain] : [])));
    const storyEmails = new Set(story.flatMap((chunk) => chunk.contacts.map((contact) => contact.email)));
    const storyUsers = new Set(story.flatMap((chunk) => chunk.contacts.map((contact) => contact.userId)));
    const storyIds = new Set(story.flatMap((chunk) => chunk.messages.map((message) => message.messageId)));
    const domains = run.flatMap((chunk) => (chunk.company ? [chunk.company.domain] : []));
    expect(domains.length).toBeGreaterThan(100);
    expect(domains.filter((domain) => storyDomains.has(domain))).toEqual([]);
    expect(contacts.filter((contact) => storyEmails.has(contact.email) || storyUsers.has(contact.userId))).toEqual([]);
    expect(messages.filter((message) => storyIds.has(message.messageId))).toEqual([]);
    expect(new Set(contacts.map((contact) => contact.email)).size).toBe(contacts.length);
    expect(new Set(messages.map((message) => message.messageId)).size).toBe(messages.length);
  });

  it('brings a short history before each deal: visits from a source, the identify, content forms, nothing else', () => {
    const events = new Set(messages.flatMap((message) => (message.type === 'track' ? [message.event] : [])));
    expect([...events].sort()).toEqual(['Ebook Downloaded', 'Pricing Viewed', 'Webinar Registered']);
    expect(messages.length / contacts.length).toBeLessThan(40);
    for (const chunk of run) {
      const closedAt = new Map(chunk.deals.map((deal) => [deal.email, deal.closedAt]));
      for (const message of chunk.messages) {
        expect(Date.parse(message.timestamp)).toBeGreaterThan(FROM);
        expect(Date.parse(message.timestamp)).toBeLessThan(UNTIL);
      }
      for (const contact of chunk.contacts) {
        const identify = chunk.messages.find(
          (message) => message.type === 'identify' && message.userId === contact.userId,
        );
        expect(identify?.type === 'identify' && identify.traits.email).toBe(contact.email);
        expect(Date.parse(identify?.timestamp ?? '')).toBeLessThan(closedAt.get(contact.email) ?? 0);
        expect(['direct', 'paid-social', 'other']).toContain(firstTouchOf(chunk, contact.email));
      }
    }
  });

  it('keeps the story’s signal: deals are won more by good fit and by direct visitors than by LinkedIn ads', () => {
    // About 2,500 deals: hundreds per group compared, so the margins are several standard errors wide.
    const many = collect({ ...options, seed: 3, deals: 2500 }).flatMap((chunk) =>
      chunk.deals.map((deal) => ({
        won: deal.outcome === 'won',
        fit: fitOf(chunk, deal.email),
        firstTouch: firstTouchOf(chunk, deal.email),
      })),
    );
    const byFit = [...many].sort((a, b) => a.fit - b.fit);
    const third = Math.floor(byFit.length / 3);
    expect(winRate(byFit.slice(-third))).toBeGreaterThan(1.4 * winRate(byFit.slice(0, third)));
    const direct = many.filter((deal) => deal.firstTouch === 'direct');
    const paidSocial = many.filter((deal) => deal.firstTouch === 'paid-social');
    expect(paidSocial.length).toBeGreaterThan(150);
    expect(winRate(direct)).toBeGreaterThan(1.5 * winRate(paidSocial));
  });

  it.each([
    { name: 'a negative deal count', change: { deals: -1 } },
    { name: 'zero months', change: { months: 0 } },
    { name: 'an end that is not a time', change: { until: Number.NaN } },
  ])('rejects $name', ({ change }) => {
    expect(() => collect({ ...options, ...change })).toThrow(RangeError);
  });
});
