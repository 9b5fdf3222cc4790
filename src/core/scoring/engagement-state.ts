import type { Playbook } from '../playbook/playbook-schema.ts';
import { assertUnreachable } from '../result.ts';
import { type ResolvedEngagementRule, resolveEngagementRules } from './engagement-rules.ts';
import { type MatchableEvent, matchesEvent } from './match-condition.ts';
import { toCenti } from './points.ts';

/** An event as scoring sees it: its idempotency id, when it happened, and what rules match on. */
export interface EngagementEvent extends MatchableEvent {
  id: string;
  occurredAt: number;
}

/** One event counted by a rule: event id, time (ms), raw points (centi). */
export interface Contribution {
  id: string;
  t: number;
  p: number;
}

/** Per rule: how many events ever matched, and the contributions that survive its caps, oldest first. */
export interface RuleState {
  matched: number;
  kept: Contribution[];
}

/**
 * The incremental engagement state of one contact. It depends only on the set of events
 * applied (never on their arrival order), so folding events one at a time equals a full
 * recomputation. Caps keep the most recent events, which makes them agree with look-back
 * windows: "at most N per day" counts the N latest events of each day inside the window.
 */
export interface EngagementState {
  rules: Record<string, RuleState>;
}

export function emptyEngagementState(): EngagementState {
  return { rules: {} };
}

const DAY_MS = 86_400_000;

function bucketOf(t: number, per: 'day' | 'week' | 'window'): number {
  switch (per) {
    case 'day':
      return Math.floor(t / DAY_MS);
    case 'week':
      // 1970-01-01 was a Thursday: shifting by 3 days makes weeks start on Monday (ISO).
      return Math.floor((Math.floor(t / DAY_MS) + 3) / 7);
    case 'window':
      return 0;
    default:
      return assertUnreachable(per);
  }
}

function compareContributions(a: Contribution, b: Contribution): number {
  if (a.t !== b.t) return a.t - b.t;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function insertSorted(kept: Contribution[], item: Contribution): Contribution[] {
  let index = kept.length;
  while (index > 0 && compareContributions(kept[index - 1]!, item) > 0) index--;
  return [...kept.slice(0, index), item, ...kept.slice(index)];
}

/** Keeps the latest `count` contributions of each cap bucket; `kept` is sorted oldest first. */
function enforceCap(kept: Contribution[], resolved: ResolvedEngagementRule): Contribution[] {
  const cap = resolved.cap;
  if (cap === null) return kept;
  const perBucket = new Map<number, number>();
  const result: Contribution[] = [];
  for (let i = kept.length - 1; i >= 0; i--) {
    const item = kept[i]!;
    const bucket = bucketOf(item.t, cap.per);
    const seen = perBucket.get(bucket) ?? 0;
    if (seen >= cap.count) continue;
    perBucket.set(bucket, seen + 1);
    result.push(item);
  }
  return result.reverse();
}

/**
 * Folds events into a contact's engagement state. Contributions older than a rule's look-back
 * (relative to `now`) are pruned: since `now` only moves forward they can never count again.
 */
export function applyEngagementEvents(
  playbook: Playbook,
  state: EngagementState,
  events: readonly EngagementEvent[],
  now: number,
): EngagementState {
  const rules: Record<string, RuleState> = { ...state.rules };
  for (const resolved of resolveEngagementRules(playbook)) {
    const id = resolved.rule.id;
    const before = rules[id] ?? { matched: 0, kept: [] };
    let { matched, kept } = before;
    let changed = false;
    for (const event of events) {
      if (!matchesEvent(resolved.rule.match, event)) continue;
      if (kept.some((item) => item.id === event.id)) continue;
      matched++;
      kept = insertSorted(kept, { id: event.id, t: event.occurredAt, p: toCenti(resolved.rule.points) });
      changed = true;
    }
    const horizon = now - resolved.lookbackMs;
    if (kept.length > 0 && kept[0]!.t < horizon) {
      kept = kept.filter((item) => item.t >= horizon);
      changed = true;
    }
    if (!changed) continue;
    rules[id] = { matched, kept: enforceCap(kept, resolved) };
  }
  return { rules };
}

/** Counts a rule's counted events within `withinMs` before `now` (all of its window when null). */
export function countRuleEvents(state: EngagementState, ruleId: string, withinMs: number | null, now: number): number {
  const kept = state.rules[ruleId]?.kept ?? [];
  const from = withinMs === null ? Number.NEGATIVE_INFINITY : now - withinMs;
  return kept.filter((item) => item.t >= from && item.t <= now).length;
}
