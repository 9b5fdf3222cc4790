import { DAY, type DemoCalendar } from './demo-calendar.ts';
import type { Draft } from './demo-draft.ts';
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
  if (employees === null || employees <= 50) return 12;
  if (employees <= 200) return 18;
  if (employees <= 1000) return 26;
  if (employees <= 5000) return 35;
  return 50;
}

/**
 * Sales' verdict, some weeks after the person raised their hand (demo or contact
 * request; a trial converts less often). Good fit and strong intent win more; deals
 * whose decision would fall after `now` are still open and get no outcome.
 */
function decideOutcome(random: Random, person: Person, drafts: readonly Draft[], now: number): SimulatedOutcome | null {
  let handRaise: number | null = null;
  let trial: number | null = null;
  for (const { at, message } of drafts) {
    if (message.type !== 'track') continue;
    const event = message.event;
    if (event === 'Demo Requested' || event === 'Contact Sales Requested') handRaise = Math.min(at, handRaise ?? at);
    else if (event === 'Trial Started') trial = Math.min(at, trial ?? at);
  }
  const from = handRaise ?? trial;
  if (from === null) return null;
  if (!random.chance(handRaise === null ? 0.25 : 0.9)) return null;
  const at = Math.floor(from + random.logNormal(medianCycleDays(person.company?.employees ?? null), 0.5) * DAY);
  if (at > now) return null;
  const { fit, intent } = person.profile;
  const won = random.chance(Math.min(0.8, 0.02 + 0.95 * fit * intent));
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
