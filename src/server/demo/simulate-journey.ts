import { DAY, type DemoCalendar } from './demo-calendar.ts';
import { type Draft, findTrack } from './demo-draft.ts';
import type { Random } from './seeded-random.ts';
import { simulateFollowUps } from './simulate-follow-ups.ts';
import { simulateVisits } from './simulate-visits.ts';
import type { Person } from './submit-form.ts';

export interface SimulatedOutcome {
  outcome: 'won' | 'lost';
  at: number;
}

/** Median days from hand-raise to a decision: bigger companies take longer. */
function medianCycleDays(employees: number | null): number {
  if (employees === null || employees <= 50) return 18;
  if (employees <= 200) return 28;
  if (employees <= 1000) return 40;
  if (employees <= 5000) return 55;
  return 75;
}

/**
 * Sales' verdict, some weeks after the person raised their hand (demo or contact
 * request; a trial converts less often). Good fit and strong intent win more; deals
 * whose decision would fall after `now` are still open and get no outcome.
 */
function decideOutcome(random: Random, person: Person, drafts: readonly Draft[], now: number): SimulatedOutcome | null {
  const demo = findTrack(drafts, 'Demo Requested');
  const contactSales = findTrack(drafts, 'Contact Sales Requested');
  const trial = findTrack(drafts, 'Trial Started');
  const handRaise = demo ?? contactSales;
  const from = handRaise ?? trial;
  if (from === undefined) return null;
  if (!random.chance(handRaise ? 0.75 : 0.2)) return null;
  const at = Math.floor(from.at + random.logNormal(medianCycleDays(person.company?.employees ?? null), 0.5) * DAY);
  if (at > now) return null;
  const { fit, intent } = person.profile;
  const won = random.chance(Math.min(0.9, 0.04 + 1.2 * fit * intent));
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
  return { drafts: journey.drafts, outcome: decideOutcome(random, person, journey.drafts, now) };
}
