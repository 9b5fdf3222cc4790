import { type Static, Type } from '@sinclair/typebox';
import type { Team } from '../playbook/routing-schema.ts';
import { assertUnreachable } from '../result.ts';

/**
 * One team's rotation, stored as JSON in the team's row and updated under a row lock in
 * the same transaction as the assignment, so concurrent leads serialise.
 *
 * Smooth weighted round robin (as in nginx): each pick adds every available rep's weight
 * to their current weight, picks the highest (ties: the earlier rep in the playbook), and
 * takes the sum of the added weights off the winner. Round robin is the same with every
 * weight 1. From an empty state, every `sum(weights)` picks give each rep exactly `weight`.
 */
export const RotationState = Type.Object(
  { current: Type.Record(Type.String(), Type.Integer(), { description: 'current weight per rep id' }) },
  { additionalProperties: false },
);
export type RotationState = Static<typeof RotationState>;

/** The state of a team that has never been rotated. */
export const emptyRotation: RotationState = { current: {} };

export interface RepPick {
  owner: string;
  /** The team's new state; reps no longer in the team are dropped from it. */
  rotation: RotationState;
  /** Reps of the team passed over because they were unavailable, in playbook order. */
  skipped: string[];
}

/** The weight a rep rotates with: its `weight` under the weighted strategy, 1 otherwise. */
export function effectiveWeight(team: Team, rep: Team['reps'][number]): number {
  const strategy = team.strategy ?? 'round-robin';
  switch (strategy) {
    case 'round-robin':
      return 1;
    case 'weighted':
      return rep.weight ?? 1;
    default:
      return assertUnreachable(strategy);
  }
}

/**
 * Picks the team's next rep among the available ones, or null when none is available.
 *
 * Unavailable reps sit out: their current weight is kept as it is, neither growing while
 * they are away (no burst of catch-up leads on return) nor counted in the total taken off
 * the winner, so the available reps share leads by their own weights.
 */
export function pickRep(
  team: Team,
  state: RotationState | undefined,
  unavailable: ReadonlySet<string>,
): RepPick | null {
  const previous = state?.current ?? {};
  // A Map, not an object: rep ids are free text and must not collide with prototype keys.
  const current = new Map<string, number>();
  const skipped: string[] = [];
  let total = 0;
  let best: string | null = null;
  let bestWeight = 0;
  for (const rep of team.reps) {
    if (current.has(rep.id)) continue;
    const before = Object.hasOwn(previous, rep.id) ? (previous[rep.id] ?? 0) : 0;
    if (unavailable.has(rep.id)) {
      current.set(rep.id, before);
      skipped.push(rep.id);
      continue;
    }
    const weight = effectiveWeight(team, rep);
    const after = before + weight;
    current.set(rep.id, after);
    total += weight;
    if (best === null || after > bestWeight) {
      best = rep.id;
      bestWeight = after;
    }
  }
  if (best === null) return null;
  current.set(best, bestWeight - total);
  return { owner: best, rotation: { current: Object.fromEntries(current) }, skipped };
}
