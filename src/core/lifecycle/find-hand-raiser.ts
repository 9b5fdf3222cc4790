import type { CompiledPlaybook } from '../playbook/compile-playbook.ts';
import type { EngagementEvent } from '../scoring/engagement-state.ts';
import { matchesEvent } from '../scoring/match-condition.ts';

/**
 * The events among `events` that raise a hand at `now`: they match a hand-raiser rule and
 * happened within the playbook's `handRaisers.within` before `now`. An old demo request that
 * arrives late (an imported CRM history) says nothing about today, and must not send a lead
 * that was lost long ago back to sales with its SLA already breached.
 */
export function handRaisingEvents(
  playbook: CompiledPlaybook,
  events: readonly EngagementEvent[],
  now: number,
): EngagementEvent[] {
  const raisers = playbook.handRaisers;
  if (raisers === null) return [];
  return events.filter(
    (event) =>
      now - event.occurredAt <= raisers.withinMs && raisers.events.some((rule) => matchesEvent(rule.match, event)),
  );
}

/** The hand-raiser rule the first of `events` that raises a hand at `now` matches; null when none does. */
export function findHandRaiser(
  playbook: CompiledPlaybook,
  events: readonly EngagementEvent[],
  now: number,
): string | null {
  const [event] = handRaisingEvents(playbook, events, now);
  if (event === undefined || playbook.handRaisers === null) return null;
  return playbook.handRaisers.events.find((rule) => matchesEvent(rule.match, event))?.id ?? null;
}
