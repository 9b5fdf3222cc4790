import { describe, expect, it } from 'vitest';
import { demoFit } from '../../src/demo/create-demo-contact.ts';
import { findIndustry, findSizeBand } from '../../src/demo/demo-vocabulary.ts';
import { type DemoChunk, type DemoContact, generateDemo } from '../../src/demo/generate-demo.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

/** A decided deal, with what the generator knew: the person's fit and how they first came to the site. */
interface Deal {
  won: boolean;
  fit: number;
  firstTouch: 'direct' | 'paid-social' | 'other';
}

/** The landing page of the person's first visit, the anonymous one before they identified. */
function firstTouchOf(chunk: DemoChunk, userId: string): Deal['firstTouch'] {
  const identify = chunk.messages.find((message) => message.type === 'identify' && message.userId === userId);
  if (identify?.type !== 'identify') throw new Error(`${userId} is never identified`);
  const landing = chunk.messages.find(
    (message) => message.type === 'page' && message.anonymousId === identify.anonymousId,
  );
  if (landing?.type !== 'page') throw new Error(`${userId} has no first visit`);
  const { referrer, utm_medium: medium } = landing.properties;
  if (medium === 'paid-social') return 'paid-social';
  return referrer === '' && medium === undefined ? 'direct' : 'other';
}

function fitOf(chunk: DemoChunk, contact: DemoContact): number {
  if (chunk.company === null) return demoFit(contact, null);
  const band = findSizeBand(chunk.company.employees);
  const industry = findIndustry(chunk.company.industry);
  if (band === undefined || industry === undefined) throw new Error(`${chunk.company.domain} has no band or industry`);
  return demoFit(contact, { band, industry });
}

function collectDeals(seed: number, contacts: number): Deal[] {
  const deals: Deal[] = [];
  for (const chunk of generateDemo({ seed, contacts, now: NOW })) {
    for (const { userId, outcome } of chunk.outcomes) {
      const contact = chunk.contacts.find((candidate) => candidate.userId === userId);
      if (contact === undefined) throw new Error(`outcome for a stranger: ${userId}`);
      deals.push({ won: outcome === 'won', fit: fitOf(chunk, contact), firstTouch: firstTouchOf(chunk, userId) });
    }
  }
  return deals;
}

function winRate(deals: readonly Deal[]): number {
  return deals.filter((deal) => deal.won).length / deals.length;
}

describe("the demo's won and lost deals", () => {
  // About 2,000 decided deals: a few hundred per group compared below, so the margins
  // are several standard errors wide.
  const deals = collectDeals(3, 40_000);

  it('are won about a quarter of the time', () => {
    expect(deals.length).toBeGreaterThan(1500);
    expect(winRate(deals)).toBeGreaterThan(0.15);
    expect(winRate(deals)).toBeLessThan(0.35);
  });

  it('are won more often by people who first came directly than by those a LinkedIn ad brought', () => {
    const direct = deals.filter((deal) => deal.firstTouch === 'direct');
    const paidSocial = deals.filter((deal) => deal.firstTouch === 'paid-social');
    expect(direct.length).toBeGreaterThan(200);
    expect(paidSocial.length).toBeGreaterThan(150);
    expect(winRate(direct)).toBeGreaterThan(1.5 * winRate(paidSocial));
  });

  it('are won more often by people who fit well than by those who fit poorly', () => {
    const byFit = [...deals].sort((a, b) => a.fit - b.fit);
    const third = Math.floor(byFit.length / 3);
    const low = byFit.slice(0, third);
    const high = byFit.slice(-third);
    expect(winRate(high)).toBeGreaterThan(1.4 * winRate(low));
  });
});
