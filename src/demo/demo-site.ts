import { assertUnreachable } from '../core/result.ts';
import type { Random } from './seeded-random.ts';

/** The fictional vendor whose website the demo visitors browse. */
const SITE_URL = 'https://www.example.com';
const SITE_NAME = 'Example';

export interface SitePage {
  path: string;
  title: string;
  /** Segment `page` name. */
  name: string;
  url: string;
  /** The first path segment (`blog` for `/blog/x`), empty for the home page. */
  section: string;
}

function page(path: string, name: string, title = name): SitePage {
  return { path, name, title: `${title} | ${SITE_NAME}`, url: `${SITE_URL}${path}`, section: path.split('/')[1] ?? '' };
}

function titled(prefix: string, name: string, entries: ReadonlyArray<readonly [string, string]>): SitePage[] {
  return entries.map(([slug, title]) => page(`${prefix}${slug}`, name, title));
}

export const HOME = page('/', 'Home', 'Lead qualification for B2B teams');
export const PRICING = page('/pricing', 'Pricing');
export const PRODUCT = page('/product', 'Product', 'Product overview');
export const CUSTOMERS = page('/customers', 'Customers', 'Customer stories');
export const INTEGRATIONS = page('/integrations', 'Integrations');
export const CAREERS = page('/careers', 'Careers', 'Careers: join us');
export const DEMO = page('/demo', 'Demo', 'Book a demo');
export const CONTACT = page('/contact', 'Contact', 'Talk to sales');
export const SIGNUP = page('/signup', 'Signup', 'Start your free trial');

export const BLOG_POSTS = titled('/blog/', 'Blog', [
  ['lead-scoring-101', 'Lead scoring 101'],
  ['mql-vs-sql', 'MQL vs SQL: where to draw the line'],
  ['what-is-revops', 'What is RevOps, really?'],
  ['sales-marketing-sla', 'Writing a sales and marketing SLA that holds'],
  ['b2b-attribution-models', 'B2B attribution models compared'],
  ['intent-data-explained', 'Intent data, explained'],
  ['predictive-lead-scoring', 'Predictive lead scoring without a data team'],
  ['lead-nurturing-playbook', 'A lead nurturing playbook'],
  ['account-based-marketing-guide', 'The account-based marketing guide'],
  ['how-to-build-an-icp', 'How to build an ideal customer profile'],
  ['lead-to-account-matching', 'Lead-to-account matching'],
  ['speed-to-lead', 'Speed to lead: why five minutes matter'],
  ['buyer-intent-signals', '12 buyer intent signals'],
  ['marketing-ops-stack', 'The marketing ops stack'],
  ['gdpr-consent-for-b2b', 'GDPR consent for B2B marketers'],
  ['webinar-promotion-tips', 'Webinar promotion tips'],
  ['pipeline-velocity', 'Pipeline velocity, step by step'],
  ['sales-handoff-checklist', 'The sales hand-off checklist'],
  ['recycling-leads', 'Recycling leads sales said no to'],
  ['form-conversion-benchmarks', 'Form conversion benchmarks'],
  ['abm-vs-inbound', 'ABM vs inbound'],
  ['crm-data-hygiene', 'CRM data hygiene'],
  ['demand-gen-metrics', 'Demand gen metrics that matter'],
  ['score-decay', 'Why lead scores should decay'],
]);

export const FEATURE_PAGES = titled('/features/', 'Features', [
  ['lead-scoring', 'Lead scoring'],
  ['lifecycle-stages', 'Lifecycle stages'],
  ['sales-handoff', 'Sales hand-off and SLAs'],
  ['routing', 'Lead routing'],
  ['backtesting', 'Backtest a scoring change'],
  ['funnel-analytics', 'Funnel analytics'],
  ['predictive-scoring', 'Predictive scoring'],
]);

export const INTEGRATION_PAGES = titled('/integrations/', 'Integrations', [
  ['hubspot', 'HubSpot integration'],
  ['salesforce', 'Salesforce integration'],
  ['segment', 'Segment integration'],
  ['slack', 'Slack integration'],
  ['pipedrive', 'Pipedrive integration'],
]);

export const CUSTOMER_STORIES = titled('/customers/', 'Customers', [
  ['brightwave', 'How Brightwave doubled MQL-to-SQL conversion'],
  ['northpeak-capital', 'Northpeak Capital answers leads in 5 minutes'],
  ['orbit-health', 'Orbit Health aligned sales and marketing'],
]);

export const DOCS_PAGES = titled('/docs/', 'Docs', [
  ['getting-started', 'Getting started'],
  ['snippet', 'The browser snippet'],
  ['http-api', 'HTTP tracking API'],
  ['playbook-reference', 'Playbook reference'],
  ['webhooks', 'Webhooks'],
  ['csv-import', 'CSV import'],
  ['self-hosting', 'Self-hosting'],
]);

export const JOB_PAGES = titled('/careers/', 'Careers', [
  ['senior-backend-engineer', 'Senior Backend Engineer'],
  ['product-designer', 'Product Designer'],
  ['account-executive-emea', 'Account Executive, EMEA'],
  ['customer-success-manager', 'Customer Success Manager'],
  ['developer-advocate', 'Developer Advocate'],
  ['marketing-operations-lead', 'Marketing Operations Lead'],
  ['working-student-marketing', 'Working Student, Marketing'],
]);

export interface Ebook {
  slug: string;
  title: string;
  tags: readonly string[];
}

/** The ebook the LinkedIn ads promote. */
const LEAD_MAGNET: Ebook = {
  slug: 'state-of-lead-scoring',
  title: 'The State of B2B Lead Scoring',
  tags: ['ebook', 'lead-scoring'],
};

export const EBOOKS: readonly Ebook[] = [
  LEAD_MAGNET,
  { slug: 'revops-playbook', title: 'The RevOps Playbook', tags: ['ebook', 'revops'] },
  { slug: 'mql-sql-benchmarks', title: 'MQL-to-SQL Conversion Benchmarks', tags: ['report', 'benchmarks'] },
  { slug: 'abm-starter-kit', title: 'The ABM Starter Kit', tags: ['ebook', 'abm'] },
  { slug: 'icp-workbook', title: 'Ideal Customer Profile Workbook', tags: ['template', 'icp'] },
  { slug: 'sla-template', title: 'Sales & Marketing SLA Template', tags: ['template', 'sla'] },
];

export function ebookPage(ebook: Ebook): SitePage {
  return page(`/resources/${ebook.slug}`, 'Resources', ebook.title);
}

export const WEBINAR_TOPICS = [
  'Lead scoring that sales trusts',
  'From MQL to revenue: fixing the hand-off',
  'RevOps office hours',
  'Building an ICP from closed-won data',
  'Intent signals in practice',
  'Benchmarks: speed to lead in 2026',
] as const;

export function webinarPage(slug: string, title: string): SitePage {
  return page(`/webinars/${slug}`, 'Webinars', title);
}

/** How a visitor arrived at the site on their own; visits from email clicks are built where the email is. */
export type Channel = 'organic' | 'paid-search' | 'paid-social' | 'social' | 'referral' | 'direct';

export interface Landing {
  page: SitePage;
  referrer: string;
  /** utm_source, utm_medium, utm_campaign and sometimes utm_term. */
  utm: { source: string; medium: string; campaign: string; term?: string } | null;
}

const SEARCH_ENGINES = [
  'https://www.google.com/',
  'https://www.google.com/',
  'https://www.google.com/',
  'https://www.bing.com/',
  'https://duckduckgo.com/',
];
const REFERRERS = [
  'https://www.g2.com/',
  'https://www.capterra.com/',
  'https://news.ycombinator.com/',
  'https://www.reddit.com/r/marketing/',
  'https://medium.com/',
  'https://www.producthunt.com/',
];
const PAID_KEYWORDS: ReadonlyArray<readonly [string, string]> = [
  ['brand-search', 'example lead scoring'],
  ['lead-scoring-software', 'lead scoring software'],
  ['competitor-alternatives', 'hubspot lead scoring alternative'],
  ['mql-tools', 'mql tracking tool'],
  ['revops-software', 'revops software'],
];
const SOCIAL_REFERRERS = ['https://www.linkedin.com/', 'https://t.co/', 'https://www.facebook.com/'];
const ORGANIC_PAGES = [HOME, PRODUCT, ...FEATURE_PAGES];
const PAID_PAGES = [PRODUCT, ...FEATURE_PAGES];
const PAID_HIGH_INTENT_PAGES = [PRICING, DEMO, PRODUCT];
const SOCIAL_AD_PAGES = [PRODUCT, HOME, ...BLOG_POSTS.slice(0, 4)];
const SOCIAL_PAGES = [...BLOG_POSTS, HOME, ...JOB_PAGES.slice(0, 2)];
const REFERRAL_PAGES = [HOME, CUSTOMERS, INTEGRATIONS, PRICING, ...BLOG_POSTS.slice(0, 6)];
const DIRECT_HIGH_INTENT_PAGES = [PRICING, PRODUCT];
const LINKEDIN_CAMPAIGNS = ['ebook-state-of-lead-scoring', 'webinar-promo', 'abm-retargeting', 'revops-leaders'];

/** Where a session from this channel lands, and how it says where it came from. */
export function pickLanding(random: Random, channel: Channel, highIntent: boolean): Landing {
  switch (channel) {
    case 'organic':
      return {
        page: random.chance(0.75) ? random.pick(BLOG_POSTS) : random.pick(ORGANIC_PAGES),
        referrer: random.pick(SEARCH_ENGINES),
        utm: null,
      };
    case 'paid-search': {
      const [campaign, term] = random.pick(PAID_KEYWORDS);
      const target = highIntent ? random.pick(PAID_HIGH_INTENT_PAGES) : random.pick(PAID_PAGES);
      return {
        page: target,
        referrer: 'https://www.google.com/',
        utm: { source: 'google', medium: 'cpc', campaign, term },
      };
    }
    case 'paid-social': {
      const campaign = random.pick(LINKEDIN_CAMPAIGNS);
      const target = campaign.startsWith('ebook') ? ebookPage(LEAD_MAGNET) : random.pick(SOCIAL_AD_PAGES);
      return {
        page: target,
        referrer: 'https://www.linkedin.com/',
        utm: { source: 'linkedin', medium: 'paid-social', campaign },
      };
    }
    case 'social':
      return {
        page: random.pick(SOCIAL_PAGES),
        referrer: random.pick(SOCIAL_REFERRERS),
        utm: null,
      };
    case 'referral':
      return {
        page: random.pick(REFERRAL_PAGES),
        referrer: random.pick(REFERRERS),
        utm: null,
      };
    case 'direct':
      return {
        page: highIntent && random.chance(0.4) ? random.pick(DIRECT_HIGH_INTENT_PAGES) : HOME,
        referrer: '',
        utm: null,
      };
    default:
      return assertUnreachable(channel);
  }
}
