import { BLOG_POSTS, type SitePage, WEBINAR_TOPICS, webinarPage } from './demo-site.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface Webinar {
  at: number;
  id: string;
  title: string;
  page: SitePage;
}

export interface EmailSend {
  at: number;
  kind: 'newsletter' | 'webinar-invite';
  campaign: string;
  subject: string;
  tags: readonly string[];
  /** Where the email's main link goes. */
  target: SitePage;
  webinar: Webinar | null;
}

/** The vendor's marketing calendar: a weekly newsletter and a monthly webinar with its invitation. */
export interface DemoCalendar {
  sends: readonly EmailSend[];
  webinars: readonly Webinar[];
}

function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** `now` minus `months` calendar months, the day clamped to the shorter month (31 March − 1 month = 28/29 February). */
export function subtractMonths(now: number, months: number): number {
  const date = new Date(now);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.getTime() + (now - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function secondThursday(year: number, month: number): number {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  const firstThursday = 1 + ((4 - first + 7) % 7);
  return Date.UTC(year, month, firstThursday + 7, 16);
}

function listWebinars(start: number, now: number): Webinar[] {
  const webinars: Webinar[] = [];
  const from = new Date(start);
  // Two months past `now`, so people near the end can register for an upcoming one.
  for (let offset = 0; ; offset++) {
    const year = from.getUTCFullYear();
    const month = from.getUTCMonth() + offset;
    const at = secondThursday(year, month);
    if (at > now + 62 * DAY) break;
    if (at < start) continue;
    const monthNumber = new Date(at).getUTCFullYear() * 12 + new Date(at).getUTCMonth();
    const title = WEBINAR_TOPICS[monthNumber % WEBINAR_TOPICS.length] ?? WEBINAR_TOPICS[0];
    const id = `${isoDate(at).slice(0, 7)}-${slugify(title)}`;
    webinars.push({ at, id, title, page: webinarPage(id, title) });
  }
  return webinars;
}

export function createDemoCalendar(start: number, now: number): DemoCalendar {
  const webinars = listWebinars(start, now);
  const sends: EmailSend[] = [];
  const first = new Date(start);
  const untilTuesday = (2 - first.getUTCDay() + 7) % 7;
  let week = 0;
  for (
    let at = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate() + untilTuesday, 14);
    at <= now;
    at += 7 * DAY
  ) {
    if (at < start) continue;
    const post = BLOG_POSTS[week % BLOG_POSTS.length] ?? BLOG_POSTS[0];
    week++;
    if (post === undefined) continue;
    const campaign = `newsletter-${isoDate(at)}`;
    sends.push({
      at,
      kind: 'newsletter',
      campaign,
      subject: `This week: ${post.title.split(' | ')[0]}`,
      tags: ['newsletter'],
      target: post,
      webinar: null,
    });
  }
  for (const webinar of webinars) {
    const at = webinar.at - 10 * DAY - 2 * HOUR;
    if (at < start || at > now) continue;
    const subject = `Webinar: ${webinar.title}`;
    sends.push({
      at,
      kind: 'webinar-invite',
      campaign: `webinar-invite-${webinar.id}`,
      subject,
      tags: ['webinar'],
      target: webinar.page,
      webinar,
    });
  }
  sends.sort((a, b) => a.at - b.at);
  return { sends, webinars };
}
