import { createDemoCompany } from './create-demo-company.ts';
import { type ContactDraw, createCompanyContact, createFreeMailContact } from './create-demo-contact.ts';
import { createTimestampFormatter } from './create-timestamp-formatter.ts';
import { createDemoCalendar, type DemoCalendar, subtractMonths } from './demo-calendar.ts';
import type { Draft } from './demo-draft.ts';
import {
  CONTACT_COUNTS,
  createRunCompanyNamer,
  type DemoCompany,
  type DemoContact,
  type DemoMessage,
  FREE_MAIL_SHARE,
  stampDrafts,
} from './generate-demo.ts';
import { dealAmount, LOST_REASONS } from './play-sales.ts';
import { createRandom, type Random } from './seeded-random.ts';
import { simulateJourney } from './simulate-journey.ts';

export interface CrmDealsOptions {
  /** The demo's seed: the CRM's people are drawn from a stream of their own, named as its companies are. */
  seed: number;
  /** How many closed deals the CRM holds. */
  deals: number;
  /** Milliseconds since the epoch: the end of the CRM's history (when Ripen went live); every deal closed by then. */
  until: number;
  /** How far back the CRM's history goes from `until`, in calendar months. */
  months: number;
  /**
   * The demo story's contact count: CRM companies and personal addresses are numbered from
   * there on, past any the story can use, so no name or address is shared with it.
   */
  storyContacts: number;
}

/** A closed deal as the CRM exports it. */
export interface CrmDeal {
  dealId: string;
  email: string;
  outcome: 'won' | 'lost';
  /** Milliseconds since the epoch. */
  closedAt: number;
  /** Euros. */
  amount: number;
  /** Why a lost deal was lost; null for a won one. */
  lostReason: string | null;
}

/** A company (or a person with a personal address) with the CRM's deals of its people. */
export interface CrmChunk {
  company: DemoCompany | null;
  contacts: DemoContact[];
  /** What the site saw of them before each deal opened, sorted by timestamp. */
  messages: DemoMessage[];
  deals: CrmDeal[];
}

/** Events that open a deal: in the CRM era they went straight to the CRM, which holds the deal. */
const DEAL_OPENERS: ReadonlySet<string> = new Set(['Demo Requested', 'Contact Sales Requested', 'Trial Started']);

/** A stream of its own for the CRM's people, so the demo story's draws stay as they are. */
function crmSeed(seed: number): number {
  return Math.imul(seed ^ 0x43524d, 0x9e3779b1) >>> 0;
}

/** When the person's deal opened: their first hand-raise or trial. */
function dealOpenedAt(drafts: readonly Draft[]): number | null {
  let first: number | null = null;
  for (const { at, message } of drafts) {
    if (message.type === 'track' && DEAL_OPENERS.has(message.event) && (first === null || at < first)) first = at;
  }
  return first;
}

/**
 * The short history a CRM import brings: what the person's browser sent before the deal
 * opened (anonymous visits with their source, the identify, content forms) and the company
 * link. The hand-raise itself, email and social engagement stay out: the deal and the
 * campaigns lived in other tools. And a months-old demo request, imported, would still raise
 * a hand (the fast lane does not look at an event's age): an MQL with its hand-off long overdue.
 */
function historyBefore(drafts: readonly Draft[], openedAt: number): Draft[] {
  return drafts.filter(({ at, message }) => {
    if (message.type === 'group') return true;
    const fromBrowser = message.type !== 'track' || message.anonymousId !== undefined;
    return fromBrowser && at < openedAt;
  });
}

/**
 * Closed deals from the months before `until`, as a CRM export would hold them, with
 * the people behind them: drawn as the demo story draws its people (companies, personas,
 * fit, intent) and simulated through the same journeys, so a deal is won or lost by the
 * same fit, intent and first-touch rule; only people whose deal closed in that window are
 * kept. Pure and deterministic: the same options give the same deals.
 */
export function* generateCrmDeals(options: CrmDealsOptions): Generator<CrmChunk> {
  if (!Number.isSafeInteger(options.deals) || options.deals < 0) {
    throw new RangeError(`deals must be a whole number of at least 0, got ${options.deals}`);
  }
  if (!Number.isFinite(options.until))
    throw new RangeError(`until must be a time in milliseconds, got ${options.until}`);
  if (!Number.isInteger(options.months) || options.months < 1 || options.months > 120) {
    throw new RangeError(`months must be a whole number from 1 to 120, got ${options.months}`);
  }
  const random = createRandom(crmSeed(options.seed));
  const now = options.until;
  const start = subtractMonths(now, options.months);
  const calendar = createDemoCalendar(start, now);
  const namer = createRunCompanyNamer(options.seed);
  const formatTimestamp = createTimestampFormatter();
  let people = 0;
  let messageCount = 0;
  let companies = 0;
  let individuals = 0;
  let produced = 0;
  const nextUserId = () => `demo-${options.seed}-crm-u${people++}`;
  while (produced < options.deals) {
    let company: DemoCompany | null = null;
    let draws: ContactDraw[];
    if (random.chance(FREE_MAIL_SHARE)) {
      draws = [createFreeMailContact(random, nextUserId(), options.storyContacts + individuals++)];
    } else {
      const draw = createDemoCompany(random, namer, options.storyContacts + companies++, now);
      company = draw.company;
      const size = random.weightedPick(CONTACT_COUNTS, (count) => draw.band.contactWeights[count - 1] ?? 0);
      const accountIntent = random.normal(0, 0.7);
      const taken = new Set<string>();
      draws = Array.from({ length: size }, () =>
        createCompanyContact(random, draw, nextUserId(), taken, accountIntent),
      );
    }
    const chunk = closedDeals(random, company, draws, { calendar, start, now }, options.deals - produced);
    if (chunk === null) continue;
    const messages = stampDrafts(chunk.drafts, () => `demo-${options.seed}-crm-${messageCount++}`, formatTimestamp);
    const deals = chunk.deals.map((deal) => ({ dealId: `demo-${options.seed}-deal-${produced++}`, ...deal }));
    yield { company, contacts: chunk.contacts, messages, deals };
  }
}

/** The people of one draw whose deal closed by `now` (at most `room`), with their history and deals. */
function closedDeals(
  random: Random,
  company: DemoCompany | null,
  draws: readonly ContactDraw[],
  window: { calendar: DemoCalendar; start: number; now: number },
  room: number,
): { contacts: DemoContact[]; drafts: Draft[]; deals: Omit<CrmDeal, 'dealId'>[] } | null {
  const contacts: DemoContact[] = [];
  const drafts: Draft[] = [];
  const deals: Omit<CrmDeal, 'dealId'>[] = [];
  for (const { contact, profile } of draws) {
    const journey = simulateJourney(random, { contact, company, profile }, window.calendar, window.start, window.now);
    const openedAt = dealOpenedAt(journey.drafts);
    if (journey.outcome === null || openedAt === null || deals.length >= room) continue;
    contacts.push(contact);
    for (const draft of historyBefore(journey.drafts, openedAt)) drafts.push(draft);
    const won = journey.outcome.outcome === 'won';
    deals.push({
      email: contact.email,
      outcome: journey.outcome.outcome,
      closedAt: journey.outcome.at,
      amount: dealAmount(random, company?.employees ?? null),
      lostReason: won ? null : random.pick(LOST_REASONS),
    });
  }
  return deals.length === 0 ? null : { contacts, drafts, deals };
}
