import { browse, createVisitor, type Visit } from './browse-site.ts';
import { DAY, type DemoCalendar, MINUTE } from './demo-calendar.ts';
import type { Draft } from './demo-draft.ts';
import { type Channel, pickLanding } from './demo-site.ts';
import { type Random, type WeightedTable, weightedTable } from './seeded-random.ts';
import { FORM_ORDER, type Form, type Journey, type Person, submitForm } from './submit-form.ts';

type ChannelTable = WeightedTable<readonly [Channel, number]>;

function channels(weights: ReadonlyArray<readonly [Channel, number]>): ChannelTable {
  return weightedTable(weights, ([, weight]) => weight);
}

const FIRST_TOUCH = channels([
  ['organic', 34],
  ['paid-search', 16],
  ['paid-social', 12],
  ['social', 6],
  ['referral', 10],
  ['direct', 22],
]);
const RETURN_VISIT = channels([
  ['direct', 45],
  ['organic', 25],
  ['paid-search', 10],
  ['paid-social', 8],
  ['social', 5],
  ['referral', 7],
]);
const JOB_SEEKER = channels([
  ['organic', 35],
  ['social', 30],
  ['direct', 20],
  ['referral', 15],
]);

/** Visit start times: the first when the person was first seen, the rest skewed recent for keen people and early for those who drift away. */
function drawVisitTimes(random: Random, count: number, firstSeen: number, now: number, intent: number): number[] {
  const exponent = 1.8 - 1.4 * intent;
  const times = [firstSeen];
  for (let i = 1; i < count; i++) times.push(Math.floor(firstSeen + (now - firstSeen) * random.next() ** exponent));
  return times.sort((a, b) => a - b);
}

/** Engineers and IT people read the docs and start trials. */
function isTechnical(person: Person): boolean {
  return person.contact.role === 'engineering' || person.contact.role === 'it';
}

/**
 * Which forms the person fills in, per visit. The visit where they first identify
 * always has one; hand-raises (demo, contact sales, trial) come late in the journey.
 */
function planForms(random: Random, person: Person, visits: number): Form[][] {
  const { intent, jobSeeker } = person.profile;
  const forms: Form[][] = Array.from({ length: visits }, () => []);
  let identifyVisit = 0;
  while (identifyVisit < visits - 1 && random.chance(0.45)) identifyVisit++;
  const add = (visit: number, form: Form): void => void forms[Math.min(visit, visits - 1)]?.push(form);
  const late = (bias: number): number => identifyVisit + Math.floor((visits - identifyVisit) * random.next() ** bias);
  const anywhere = (): number => random.int(identifyVisit, visits - 1);

  if (!jobSeeker) {
    const demoOdds = Math.min(0.9, 0.5 * intent ** 3) * (person.company ? 1 : 0.5);
    if (random.chance(demoOdds)) add(late(0.4), 'demo');
    else if (random.chance(0.15 * intent ** 2)) add(late(0.5), 'contact-sales');
    if (random.chance((isTechnical(person) ? 0.3 : 0.1) * intent ** 1.5)) add(late(0.6), 'trial');
  }
  for (let n = random.poisson(0.35 + 0.4 * intent); n > 0; n--) add(anywhere(), 'ebook');
  if (random.chance(0.08 + 0.25 * intent)) add(anywhere(), 'webinar');
  if (forms[identifyVisit]?.length === 0) add(identifyVisit, random.chance(0.55) ? 'ebook' : 'newsletter');
  for (const list of forms) list.sort((a, b) => FORM_ORDER.indexOf(a) - FORM_ORDER.indexOf(b));
  return forms;
}

/** Squeezes drafts that ran past `now` back into [from, now], keeping their order. */
function fitIntoWindow(drafts: Draft[], from: number, now: number): void {
  let last = from;
  for (const draft of drafts) last = Math.max(last, draft.at);
  if (last <= now) return;
  const scale = (now - from) / (last - from);
  for (const draft of drafts) draft.at = Math.floor(from + (draft.at - from) * scale);
}

/**
 * A person's visits to the site: anonymous at first, identified from their first form on.
 * Keen people come back more often, more recently, and look at pricing and book demos;
 * the rest read the blog; job seekers browse the careers pages.
 */
export function simulateVisits(
  random: Random,
  person: Person,
  calendar: DemoCalendar,
  start: number,
  now: number,
): Journey {
  const { intent, jobSeeker, anonymousId } = person.profile;
  const visits = Math.min(30, 1 + (jobSeeker ? random.poisson(1.2) : random.poisson(0.8 + 8 * intent ** 1.2)));
  const firstSeen = Math.floor(start + random.next() * Math.max(0, now - start - 2 * DAY));
  const times = drawVisitTimes(random, visits, firstSeen, now, intent);
  const forms = planForms(random, person, visits);
  const visitor = createVisitor({ anonymousId, userId: null }, intent, jobSeeker, isTechnical(person));
  const journey: Journey = { person, calendar, visitor, firstTouch: null, drafts: [], registrations: [] };
  let free = firstSeen;
  for (let i = 0; i < visits; i++) {
    const weights = jobSeeker ? JOB_SEEKER : i === 0 ? FIRST_TOUCH : RETURN_VISIT;
    const channel = random.draw(weights)[0];
    if (i === 0) journey.firstTouch = channel;
    const landing = pickLanding(random, channel, intent > 0.6);
    const visit: Visit = { at: Math.max(times[i] ?? now, free), referrer: landing.referrer, drafts: journey.drafts };
    const pages = Math.min(8, 1 + random.poisson(jobSeeker ? 1.2 : 0.6 + 2.2 * intent));
    browse(random, visitor, visit, landing, pages);
    for (const form of forms[i] ?? []) submitForm(random, journey, visit, form);
    free = visit.at + 30 * MINUTE;
  }
  fitIntoWindow(journey.drafts, firstSeen, now);
  return journey;
}

/** Someone who browses a little and never fills in a form: history Ripen keeps for the day they do. */
export function simulateAnonymousVisitor(random: Random, start: number, now: number): Draft[] {
  const jobSeeker = random.chance(0.15);
  const anonymousId = random.uuid();
  const visitor = createVisitor({ anonymousId, userId: null }, random.next() * 0.4, jobSeeker, random.chance(0.2));
  const firstSeen = Math.floor(start + random.next() * Math.max(0, now - start - DAY));
  const times = drawVisitTimes(random, 1 + random.poisson(0.6), firstSeen, now, visitor.intent);
  const drafts: Draft[] = [];
  let free = firstSeen;
  for (const time of times) {
    const landing = pickLanding(random, random.draw(jobSeeker ? JOB_SEEKER : FIRST_TOUCH)[0], false);
    const visit: Visit = { at: Math.max(time, free), referrer: landing.referrer, drafts };
    browse(random, visitor, visit, landing, 1 + random.poisson(0.8));
    free = visit.at + 30 * MINUTE;
  }
  fitIntoWindow(drafts, firstSeen, now);
  return drafts;
}
