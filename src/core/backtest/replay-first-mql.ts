import { decideAutomaticTransition } from '../lifecycle/decide-automatic-transition.ts';
import { findHandRaiser } from '../lifecycle/find-hand-raiser.ts';
import type { CompiledPlaybook } from '../playbook/compile-playbook.ts';
import {
  applyEngagementEvents,
  type EngagementEvent,
  type EngagementState,
  emptyEngagementState,
} from '../scoring/engagement-state.ts';
import { scoreWithFit } from '../scoring/score-contact.ts';
import type { FitResult } from '../scoring/score-fit.ts';
import { createQualificationOutlook } from './qualification-outlook.ts';

/** A contact as the backtest replays it: what fit rules and criteria read, and its events. */
export interface ReplayContact {
  contact: Record<string, unknown>;
  company: Record<string, unknown> | null;
  predicted: number | null;
  /**
   * Its events in time order (ties in any order), at least those of `[from − look-back, to)`:
   * older ones cannot count, later ones are not replayed.
   */
  events: readonly EngagementEvent[];
}

/** When and by which rule a replayed lead first became an MQL. */
export interface ReplayedMql {
  /** The qualifying action's own time, as live scoring stamps a hand-off's `qualified_at`. */
  at: number;
  kind: 'hand-raise' | 'qualify-mql';
  rule: string;
}

/**
 * When, if ever, a contact that is a `lead` at `from` would first have become an MQL before
 * `to`, had each of its events been scored the moment it happened. Events before `from` only
 * build up engagement (with their decay); from `from` on, each instant that has events is one
 * live rescore (`rescoreLead`, what the scoring worker runs): those events are the new ones (so
 * they may raise a hand), folded into the state of everything earlier, scored at that instant,
 * and the playbook's automatic move decided. Only automatic moves exist here.
 *
 * Two shortcuts change no answer, only the work (a property test holds the replay equal to
 * `rescoreLead` at every instant): an instant at which the lead certainly cannot qualify
 * (`QualificationOutlook`) is not scored, its events waiting to be folded before the next
 * rescore (the state depends only on the set of events folded); and fit, which changes only
 * with `age` rules, is scored once per combination of their answers instead of at every instant.
 */
export function replayFirstMql(
  playbook: CompiledPlaybook,
  subject: ReplayContact,
  period: { from: number; to: number },
): ReplayedMql | null {
  const { events } = subject;
  let index = 0;
  while (index < events.length && events[index]!.occurredAt < period.from) index++;
  if (index === events.length || events[index]!.occurredAt >= period.to) return null;
  const outlook = createQualificationOutlook(playbook, subject);
  let state = emptyEngagementState();
  let waiting: EngagementEvent[] = events.slice(0, index);
  while (index < events.length) {
    const at = events[index]!.occurredAt;
    if (at >= period.to) break;
    let end = index + 1;
    while (end < events.length && events[end]!.occurredAt === at) end++;
    const fresh = sameInstant(events, index, end);
    index = end;
    for (const event of fresh) waiting.push(event);
    if (!outlook.mayQualify(at, fresh)) continue;
    state = applyEngagementEvents(playbook.document, state, waiting, at);
    waiting = [];
    const mql = decideAt(playbook, subject, state, outlook.fitAt(at), fresh, at);
    if (mql !== null) return mql;
  }
  return null;
}

/**
 * `rescoreLead` at one instant for a lead whose state already holds the instant's events: the
 * score as `scoreWithFit` makes it (fit given, engagement scored now), the move as
 * `decideAutomaticTransition` decides it, a hand raised by the first of `fresh` that matches a
 * hand-raiser rule, and the qualifying time `at` (every event of the instant happened then).
 */
function decideAt(
  playbook: CompiledPlaybook,
  subject: ReplayContact,
  state: EngagementState,
  fit: FitResult,
  fresh: readonly EngagementEvent[],
  at: number,
): ReplayedMql | null {
  const score = scoreWithFit(playbook.document, fit, state, at);
  const request = decideAutomaticTransition(playbook, {
    stage: 'lead',
    nurtureUntil: null,
    reMqlCount: 0,
    score,
    state,
    contact: subject.contact,
    company: subject.company,
    predicted: subject.predicted,
    handRaiser: findHandRaiser(playbook, fresh, at),
    now: at,
  });
  return request === null ? null : { at, kind: request.kind, rule: request.rule };
}

/**
 * The events of one instant, ordered by id: which hand-raiser rule an instant with several
 * hand-raising events reports must not depend on the order the database returned them in.
 */
function sameInstant(events: readonly EngagementEvent[], start: number, end: number): EngagementEvent[] {
  const slice = events.slice(start, end);
  if (slice.length > 1) slice.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return slice;
}
