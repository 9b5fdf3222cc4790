import { assertUnreachable } from '../core/result.ts';
import { type Actor, type Draft, trackForActor } from './demo-draft.ts';
import {
  BLOG_POSTS,
  CAREERS,
  CUSTOMER_STORIES,
  CUSTOMERS,
  DOCS_PAGES,
  FEATURE_PAGES,
  HOME,
  INTEGRATION_PAGES,
  INTEGRATIONS,
  JOB_PAGES,
  type Landing,
  PRICING,
  PRODUCT,
  type SitePage,
} from './demo-site.ts';
import type { DemoMessage } from './generate-demo.ts';
import { type Random, type WeightedTable, weightedTable } from './seeded-random.ts';

/** A browser on the site: who it is so far, and what drives where it clicks. */
export interface Visitor {
  actor: Actor;
  intent: number;
  jobSeeker: boolean;
  /** Engineers and IT people read the docs. */
  technical: boolean;
  /** Which kinds of page this visitor clicks through to, and how often. */
  interests: WeightedTable<PageKind>;
}

/** Where a visit is: the time the next page loads, the page it came from, and what it produced. */
export interface Visit {
  at: number;
  referrer: string;
  drafts: Draft[];
}

const PAGE_KINDS = [
  'home',
  'blog',
  'product',
  'features',
  'pricing',
  'customers',
  'integrations',
  'docs',
  'careers',
] as const;
type PageKind = (typeof PAGE_KINDS)[number];

function pageKindWeight(kind: PageKind, visitor: Omit<Visitor, 'interests'>): number {
  const intent = visitor.intent;
  switch (kind) {
    case 'home':
      return 0.6;
    case 'blog':
      return 0.6 + 3 * (1 - intent);
    case 'product':
      return 0.4 + 2 * intent;
    case 'features':
      return 0.4 + 2.4 * intent;
    case 'pricing':
      return 0.1 + 2.6 * intent ** 1.5;
    case 'customers':
      return 0.1 + 1.4 * intent;
    case 'integrations':
      return 0.15 + intent;
    case 'docs':
      return visitor.technical ? 0.4 + 1.5 * intent : 0.1;
    case 'careers':
      return visitor.jobSeeker ? 9 : 0.04;
    default:
      return assertUnreachable(kind);
  }
}

function pickPage(random: Random, kind: PageKind): SitePage {
  switch (kind) {
    case 'home':
      return HOME;
    case 'blog':
      return random.pick(BLOG_POSTS);
    case 'product':
      return PRODUCT;
    case 'features':
      return random.pick(FEATURE_PAGES);
    case 'pricing':
      return PRICING;
    case 'customers':
      return random.chance(0.5) ? CUSTOMERS : random.pick(CUSTOMER_STORIES);
    case 'integrations':
      return random.chance(0.4) ? INTEGRATIONS : random.pick(INTEGRATION_PAGES);
    case 'docs':
      return random.pick(DOCS_PAGES);
    case 'careers':
      return random.chance(0.3) ? CAREERS : random.pick(JOB_PAGES);
    default:
      return assertUnreachable(kind);
  }
}

export function createVisitor(actor: Actor, intent: number, jobSeeker: boolean, technical: boolean): Visitor {
  const visitor: Omit<Visitor, 'interests'> = { actor, intent, jobSeeker, technical };
  return { ...visitor, interests: weightedTable(PAGE_KINDS, (kind) => pageKindWeight(kind, visitor)) };
}

export function pickNextPage(random: Random, visitor: Visitor): SitePage {
  return pickPage(random, random.draw(visitor.interests));
}

const PLANS = ['Starter', 'Growth', 'Enterprise'];

const MEDIAN_SECONDS: Record<string, number> = {
  '': 18,
  blog: 110,
  docs: 140,
  pricing: 75,
  product: 60,
  features: 50,
  customers: 70,
  integrations: 45,
  careers: 60,
  resources: 35,
  webinars: 40,
  demo: 50,
  contact: 45,
  signup: 40,
};

/** Seconds on a page: right-skewed, longer for people who mean business. */
function drawDuration(random: Random, page: SitePage, intent: number): number {
  const median = (MEDIAN_SECONDS[page.section] ?? 45) * (0.7 + 0.7 * intent);
  return Math.min(900, Math.max(2, Math.round(random.logNormal(median, 0.8))));
}

function utmQuery(utm: NonNullable<Landing['utm']>): string {
  const term = utm.term === undefined ? '' : `&utm_term=${encodeURIComponent(utm.term)}`;
  return `?utm_source=${utm.source}&utm_medium=${utm.medium}&utm_campaign=${utm.campaign}${term}`;
}

function addUtmProperties(properties: Record<string, unknown>, utm: NonNullable<Landing['utm']>): void {
  properties.utm_source = utm.source;
  properties.utm_medium = utm.medium;
  properties.utm_campaign = utm.campaign;
  if (utm.term !== undefined) properties.utm_term = utm.term;
}

function campaignContext(utm: NonNullable<Landing['utm']>): Record<string, unknown> {
  const campaign: Record<string, string> = { name: utm.campaign, source: utm.source, medium: utm.medium };
  if (utm.term !== undefined) campaign.term = utm.term;
  return { campaign };
}

/**
 * Loads a page: records a `page` event with time on page, moves the visit on past it,
 * and returns when the visitor left the page. Landing pages carry their utm tags both
 * in the properties and, as Segment's libraries do, in `context.campaign`.
 */
export function viewPage(
  random: Random,
  visitor: Visitor,
  visit: Visit,
  page: SitePage,
  utm: Landing['utm'] = null,
): number {
  const duration = drawDuration(random, page, visitor.intent);
  const properties: Record<string, unknown> = {
    url: utm ? `${page.url}${utmQuery(utm)}` : page.url,
    path: page.path,
    title: page.title,
    referrer: visit.referrer,
    duration,
  };
  const actor = visitor.actor;
  const message: DemoMessage = {
    type: 'page',
    messageId: '',
    timestamp: '',
    anonymousId: actor.anonymousId,
    name: page.name,
    properties,
  };
  if (actor.userId !== null) message.userId = actor.userId;
  if (utm) {
    addUtmProperties(properties, utm);
    message.context = campaignContext(utm);
  }
  const at = visit.at;
  visit.drafts.push({ at, message });
  const leftAt = at + duration * 1000;
  if (page === PRICING && random.chance(0.3)) {
    const plan = random.pick(PLANS);
    const billing = random.chance(0.7) ? 'annual' : 'monthly';
    visit.drafts.push(trackForActor(at + Math.floor((leftAt - at) / 2), actor, 'Pricing Viewed', { plan, billing }));
  }
  visit.referrer = page.url;
  visit.at = leftAt + random.int(200, 2500);
  return leftAt;
}

/** A visit from a landing page through `pages` pages in all. */
export function browse(random: Random, visitor: Visitor, visit: Visit, landing: Landing, pages: number): void {
  viewPage(random, visitor, visit, landing.page, landing.utm);
  for (let i = 1; i < pages; i++) viewPage(random, visitor, visit, pickNextPage(random, visitor));
}
