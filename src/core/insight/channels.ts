/**
 * Marketing channels a touch is counted under, from its UTM medium (or campaign medium) and,
 * for visits without tags, the site that referred them. The server's SQL is built from these
 * same tables (server/insight/touches.ts), so this file is the one definition; docs/insight.md
 * shows it as a table.
 */
export const CHANNELS = ['paid', 'email', 'social', 'organic', 'referral', 'direct', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The channels a UTM medium can name. */
export const TAGGED_CHANNELS = ['paid', 'email', 'social', 'organic', 'referral'] as const;

/** UTM mediums (lower-cased) of each channel. A medium in none of the lists is `other`. */
export const CHANNEL_MEDIUMS: Readonly<Record<(typeof TAGGED_CHANNELS)[number], readonly string[]>> = {
  paid: [
    'cpc',
    'ppc',
    'cpm',
    'cpv',
    'cpa',
    'paid',
    'paidsearch',
    'paid-search',
    'paid_search',
    'paid-social',
    'paidsocial',
    'paid_social',
    'display',
    'banner',
    'ad',
    'ads',
    'retargeting',
    'remarketing',
    'sem',
  ],
  email: ['email', 'e-mail', 'e_mail', 'newsletter', 'mail'],
  social: ['social', 'social-media', 'social_media', 'organic-social', 'organic_social', 'sm'],
  organic: ['organic', 'seo', 'organic-search', 'organic_search'],
  referral: ['referral', 'partner', 'affiliate', 'link'],
};

/**
 * Referring hosts of untagged visits: a search engine's is `organic` (a host with one of these
 * names before its last label: `google.com`, `www.google.co.uk`, `search.brave.com`), a social
 * network's `social` (a host whose last two labels are one of these: `m.facebook.com`, `t.co`);
 * any other site is `referral`. Compared label by label, which the database does fast, unlike
 * regular expressions.
 */
export const SEARCH_ENGINES = [
  'google',
  'bing',
  'duckduckgo',
  'yahoo',
  'baidu',
  'yandex',
  'ecosia',
  'qwant',
  'startpage',
  'brave',
] as const;
export const SOCIAL_DOMAINS = [
  'linkedin.com',
  'lnkd.in',
  't.co',
  'twitter.com',
  'x.com',
  'facebook.com',
  'fb.com',
  'instagram.com',
  'youtube.com',
  'reddit.com',
  'pinterest.com',
  'tiktok.com',
  'threads.net',
  'xing.com',
] as const;

/** What a touch says about where it came from; null when it does not say. */
export interface TouchOrigin {
  /** utm_source or the campaign context's source. */
  source: string | null;
  /** utm_medium or the campaign context's medium. */
  medium: string | null;
  /** The referring site's host, when it is another site than the page's own. */
  referrerHost: string | null;
}

/**
 * The channel of a touch: its medium's channel; a tagged touch with an unknown or no medium is
 * `other`; an untagged one is `organic`, `social` or `referral` by its referrer; no touch at all
 * (or one that says nothing) is `direct`.
 */
export function channelOf(origin: TouchOrigin | null): Channel {
  const medium = origin?.medium?.trim().toLowerCase() ?? '';
  if (medium !== '') {
    return TAGGED_CHANNELS.find((channel) => CHANNEL_MEDIUMS[channel].includes(medium)) ?? 'other';
  }
  if ((origin?.source?.trim() ?? '') !== '') return 'other';
  const host = origin?.referrerHost?.trim().toLowerCase() ?? '';
  if (host === '') return 'direct';
  const labels = host.split('.');
  if (labels.slice(0, -1).some((label) => (SEARCH_ENGINES as readonly string[]).includes(label))) return 'organic';
  if ((SOCIAL_DOMAINS as readonly string[]).includes(labels.slice(-2).join('.'))) return 'social';
  return 'referral';
}

/** The source label of a touch: its tagged source, else the referring host, else `direct`; lower-cased. */
export function sourceOf(origin: TouchOrigin | null): string {
  const source = origin?.source?.trim().toLowerCase() ?? '';
  if (source !== '') return source;
  const host =
    origin?.referrerHost
      ?.trim()
      .toLowerCase()
      .replace(/^www\./, '') ?? '';
  return host === '' ? 'direct' : host;
}
