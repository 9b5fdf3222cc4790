import { DAY, type DemoCalendar } from './demo-calendar.ts';
import type { Draft } from './demo-draft.ts';
import type { Channel } from './demo-site.ts';
import type { Random } from './seeded-random.ts';
import { simulateFollowUps } from './simulate-follow-ups.ts';
import { simulateVisits } from './simulate-visits.ts';
import type { Journey, Person } from './submit-form.ts';

export interface SimulatedOutcome {
  outcome: 'won' | 'lost';
  at: number;
}

/** Median days from hand-raise to a decision: bigger companies take longer. */
function medianCycleDays(employees: number | null): number {
  if (employees === null || employees <= 50) return 12;
  if (employees <= 200) return 18;
  if (employees <= 1000) return 26;
  if (employees <= 5000) return 35;
  return 50;
}

/**
 * How much more (or less) often a deal is won, by how the person first came to the site,
 * as in real B2B funnels. It multiplies the chance to win, after fit and intent (which do
 * not depend on the channel here), so the channel is a signal of its own; weighted by how
 * often each channel brings a first visit it averages about 1, so it moves wins between
 * channels rather than adding any. No random draw: the same seed gives the same story.
 *
 * - referral (G2, Capterra, Hacker News, …): people comparing vendors on a peer's word,
 *   the closest thing the demo has to a partner introduction; they win most.
 * - direct: they already know the name (word of mouth, an event, a colleague); close behind.
 * - organic search: they went looking for the problem we solve, on their own.
 * - paid search: the keywords show intent, but competitor and generic clicks dilute it.
 * - social (shared posts): curiosity about an article rather than a buying project.
 * - paid social (LinkedIn ads, gated ebooks): interrupted mid-scroll, the weakest, as
 *   display ads are in real funnels.
 *
 * Email nurture sits in between in real funnels but is never a first touch in the demo:
 * only people who have filled in a form receive email.
 */
const SOURCE_EFFECT: Record<Channel, number> = {
  referral: 1.45,
  direct: 1.25,
  organic: 1.1,
  'paid-search': 0.9,
  social: 0.65,
  'paid-social': 0.45,
};

/**
 * The chance a decided deal is won: logistic in fit, intent and the first-touch channel's
 * effect (its logarithm, so the channel multiplies the odds). Fit weighs most, as it does for
 * sales teams (a buyer without budget or authority rarely signs however keen), and it is
 * steep enough that a model reading the profile, the behaviour and the source can tell
 * likely wins from likely losses (about 0.75 AUC at best), yet noisy like real deals.
 */
function winChance(fit: number, intent: number, sourceEffect: number): number {
  const logOdds = -2.4 + 8 * (fit - 0.62) + 2.5 * (intent - 0.6) + 1.5 * Math.log(sourceEffect);
  return 1 / (1 + Math.exp(-logOdds));
}

/**
 * Sales' verdict, some weeks after the person raised their hand (demo or contact
 * request; a trial converts less often). Good fit, strong intent and a good first-touch
 * channel win more, about a quarter of decided deals in all; deals whose decision would
 * fall after `now` are still open and get no outcome.
 */
function decideOutcome(random: Random, journey: Journey, now: number): SimulatedOutcome | null {
  let handRaise: number | null = null;
  let trial: number | null = null;
  for (const { at, message } of journey.drafts) {
    if (message.type !== 'track') continue;
    const event = message.event;
    if (event === 'Demo Requested' || event === 'Contact Sales Requested') handRaise = Math.min(at, handRaise ?? at);
    else if (event === 'Trial Started') trial = Math.min(at, trial ?? at);
  }
  const from = handRaise ?? trial;
  if (from === null) return null;
  if (!random.chance(handRaise === null ? 0.25 : 0.9)) return null;
  const { person, firstTouch } = journey;
  const at = Math.floor(from + random.logNormal(medianCycleDays(person.company?.employees ?? null), 0.5) * DAY);
  if (at > now) return null;
  const { fit, intent } = person.profile;
  const sourceEffect = firstTouch === null ? 1 : SOURCE_EFFECT[firstTouch];
  const won = random.chance(winChance(fit, intent, sourceEffect));
  return { outcome: won ? 'won' : 'lost', at };
}

/** One person's whole history: visits, forms, emails and social, and how the deal ended if it did. */
export function simulateJourney(
  random: Random,
  person: Person,
  calendar: DemoCalendar,
  start: number,
  now: number,
): { drafts: Draft[]; outcome: SimulatedOutcome | null } {
  const journey = simulateVisits(random, person, calendar, start, now);
  simulateFollowUps(random, journey, now);
  return { drafts: journey.drafts, outcome: decideOutcome(random, journey, now) };
}
