import { type CompanyNamer, createCompanyNamer } from './create-company-namer.ts';
import { createDemoCompany } from './create-demo-company.ts';
import { type ContactDraw, createCompanyContact, createFreeMailContact } from './create-demo-contact.ts';
import { createTimestampFormatter } from './create-timestamp-formatter.ts';
import { createDemoCalendar, type DemoCalendar, subtractMonths } from './demo-calendar.ts';
import type { Draft } from './demo-draft.ts';
import type { Role } from './demo-personas.ts';
import { createRandom, type Random } from './seeded-random.ts';
import { simulateJourney } from './simulate-journey.ts';
import { simulateAnonymousVisitor } from './simulate-visits.ts';

export interface DemoOptions {
  seed: number;
  contacts: number;
  /** Milliseconds since the epoch: history ends here. */
  now: number;
  /** History length in calendar months; 6 by default. */
  months?: number;
}

export interface DemoCompany {
  domain: string;
  name: string;
  industry: string;
  employees: number;
  annualRevenue: number;
  foundedYear: number;
  country: string;
  /** What an enrichment service would know: maturity, trust and technology signals (absent when unknown). */
  details: DemoCompanyDetails;
}

export interface DemoCompanyDetails {
  vatNumber?: string;
  shareCapital?: number;
  publicFunding?: number;
  adSpend?: number;
  reviewRating?: number;
  reviewCount?: number;
  socialProfiles?: string;
  technologies?: string;
}

export interface DemoContact {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  jobTitle: string;
  seniority: 'executive' | 'director' | 'manager' | 'individual' | 'student';
  role: Role;
  country: string;
  companyDomain: string | null;
  phone?: string;
}

/** Segment-spec message shapes, as the HTTP API's `/v1/batch` accepts them. */
export type DemoMessage =
  | {
      type: 'identify';
      messageId: string;
      userId: string;
      anonymousId?: string;
      timestamp: string;
      traits: Record<string, unknown>;
    }
  | {
      type: 'track';
      messageId: string;
      userId?: string;
      anonymousId?: string;
      event: string;
      timestamp: string;
      properties: Record<string, unknown>;
      context?: Record<string, unknown>;
    }
  | {
      type: 'page';
      messageId: string;
      userId?: string;
      anonymousId?: string;
      name?: string;
      timestamp: string;
      properties: Record<string, unknown>;
      context?: Record<string, unknown>;
    }
  | {
      type: 'group';
      messageId: string;
      userId: string;
      groupId: string;
      timestamp: string;
      traits: Record<string, unknown>;
    };

export interface DemoOutcome {
  userId: string;
  outcome: 'won' | 'lost';
  at: string;
}

/** One company and the people from it, or one person with a personal address (`company` null). */
export interface DemoChunk {
  company: DemoCompany | null;
  contacts: DemoContact[];
  /** Sorted by timestamp. */
  messages: DemoMessage[];
  outcomes: DemoOutcome[];
}

/** Share of chunks that are one person writing from a personal address. */
export const FREE_MAIL_SHARE = 0.35;
/** Chance that a chunk also carries a visitor who never identifies. */
const ANONYMOUS_VISITOR_SHARE = 0.3;
/** How many people a company chunk can have; its size band weighs each count. */
export const CONTACT_COUNTS = [1, 2, 3, 4, 5, 6, 7, 8];

interface Run {
  random: Random;
  seed: number;
  start: number;
  now: number;
  calendar: DemoCalendar;
  nextUser: number;
  nextMessage: number;
  /** `demo-<seed>-`: message ids are this and a counter. */
  messageIdPrefix: string;
  formatTimestamp: (time: number) => string;
}

function checkOptions(options: DemoOptions, months: number): void {
  if (!Number.isSafeInteger(options.contacts) || options.contacts < 0) {
    throw new RangeError(`contacts must be a whole number of at least 0, got ${options.contacts}`);
  }
  if (!Number.isFinite(options.now)) throw new RangeError(`now must be a time in milliseconds, got ${options.now}`);
  if (!Number.isInteger(months) || months < 1 || months > 120) {
    throw new RangeError(`months must be a whole number from 1 to 120, got ${months}`);
  }
}

function nextUserId(run: Run): string {
  return `demo-${run.seed}-u${run.nextUser++}`;
}

/** Simulates everyone in the chunk, then numbers and stamps their messages in time order. */
function assembleChunk(run: Run, company: DemoCompany | null, people: readonly ContactDraw[]): DemoChunk {
  const drafts: Draft[] = [];
  const outcomes: DemoOutcome[] = [];
  for (const { contact, profile } of people) {
    const journey = simulateJourney(run.random, { contact, company, profile }, run.calendar, run.start, run.now);
    for (const draft of journey.drafts) drafts.push(draft);
    if (journey.outcome) {
      const { outcome, at } = journey.outcome;
      outcomes.push({ userId: contact.userId, outcome, at: run.formatTimestamp(at) });
    }
  }
  if (run.random.chance(ANONYMOUS_VISITOR_SHARE)) {
    for (const draft of simulateAnonymousVisitor(run.random, run.start, run.now)) drafts.push(draft);
  }
  const messages = stampDrafts(drafts, () => `${run.messageIdPrefix}${run.nextMessage++}`, run.formatTimestamp);
  return { company, contacts: people.map((person) => person.contact), messages, outcomes };
}

/** Sorts drafts by time, then gives each its id (in that order) and its timestamp. */
export function stampDrafts(
  drafts: Draft[],
  nextMessageId: () => string,
  formatTimestamp: (time: number) => string,
): DemoMessage[] {
  drafts.sort((a, b) => a.at - b.at);
  const messages: DemoMessage[] = [];
  for (const { at, message } of drafts) {
    message.messageId = nextMessageId();
    message.timestamp = formatTimestamp(at);
    messages.push(message);
  }
  return messages;
}

/**
 * The company namer of the run of `seed`: built from the run's first draws, as generateDemo
 * builds its own, so another generator can name companies the run's way at other indexes.
 */
export function createRunCompanyNamer(seed: number): CompanyNamer {
  return createCompanyNamer(createRandom(seed));
}

function companyChunk(run: Run, namer: CompanyNamer, companyIndex: number, remaining: number): DemoChunk {
  const draw = createDemoCompany(run.random, namer, companyIndex, run.now);
  const size = run.random.weightedPick(CONTACT_COUNTS, (count) => draw.band.contactWeights[count - 1] ?? 0);
  const accountIntent = run.random.normal(0, 0.7);
  const taken = new Set<string>();
  const people: ContactDraw[] = [];
  for (let i = 0; i < Math.min(size, remaining); i++) {
    people.push(createCompanyContact(run.random, draw, nextUserId(run), taken, accountIntent));
  }
  return assembleChunk(run, draw.company, people);
}

/**
 * A deterministic synthetic B2B funnel: companies of all sizes and the people from them,
 * browsing, downloading, registering, opening emails, requesting demos, and sometimes
 * winning or losing a deal, over the `months` before `now`. Pure and streaming: one chunk
 * at a time, exactly `contacts` contacts in all, the same output for the same options.
 */
export function* generateDemo(options: DemoOptions): Generator<DemoChunk> {
  const months = options.months ?? 6;
  checkOptions(options, months);
  const random = createRandom(options.seed);
  const start = subtractMonths(options.now, months);
  const run: Run = {
    random,
    seed: options.seed,
    start,
    now: options.now,
    calendar: createDemoCalendar(start, options.now),
    nextUser: 0,
    nextMessage: 0,
    messageIdPrefix: `demo-${options.seed}-`,
    formatTimestamp: createTimestampFormatter(),
  };
  const namer = createCompanyNamer(random);
  let companies = 0;
  let individuals = 0;
  let produced = 0;
  while (produced < options.contacts) {
    const chunk = random.chance(FREE_MAIL_SHARE)
      ? assembleChunk(run, null, [createFreeMailContact(random, nextUserId(run), individuals++)])
      : companyChunk(run, namer, companies++, options.contacts - produced);
    produced += chunk.contacts.length;
    yield chunk;
  }
}
