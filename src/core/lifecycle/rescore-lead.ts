import type { CompiledPlaybook } from '../playbook/compile-playbook.ts';
import {
  applyEngagementEvents,
  type EngagementEvent,
  type EngagementState,
  emptyEngagementState,
} from '../scoring/engagement-state.ts';
import { type ContactScore, scoreContact } from '../scoring/score-contact.ts';
import { applyTransition, type LifecycleState } from './apply-transition.ts';
import { decideAutomaticTransition } from './decide-automatic-transition.ts';
import { findHandRaiser, handRaisingEvents } from './find-hand-raiser.ts';
import { isStage, type Stage } from './stages.ts';

/** A lead as a rescore sees it: its lifecycle, its scoring subject and its engagement so far. */
export interface LeadToRescore {
  stage: string;
  nurtureUntil: number | null;
  reMqlCount: number;
  predicted: number | null;
  contact: Record<string, unknown>;
  company: Record<string, unknown> | null;
  /**
   * How engagement is brought up to date: fold the events new since `state` was saved into it,
   * or recompute from every stored event still countable (a new playbook version).
   */
  engagement: { fold: EngagementState; fresh: readonly EngagementEvent[] } | { recompute: readonly EngagementEvent[] };
}

/** A stage the lead moved to by rule: which rule, and when the action that qualified it happened. */
export interface AutomaticMove {
  from: Stage;
  to: Stage;
  kind: 'hand-raise' | 'qualify-mql';
  rule: string;
  /** The qualifying action's own time (see qualifyingTime): the SLA clock starts there. */
  at: number;
}

export interface Rescored {
  state: EngagementState;
  score: ContactScore;
  lifecycle: LifecycleState;
  move: AutomaticMove | null;
}

/**
 * One lead's rescore at `now`: engagement folded or recomputed, fit and engagement scored,
 * and the automatic move the playbook asks for (the hand-raiser fast lane, an MQL criterion)
 * applied to its lifecycle. Only new events can raise a hand: a rescore after an edit or a
 * publish qualifies by criteria alone.
 */
export function rescoreLead(playbook: CompiledPlaybook, lead: LeadToRescore, now: number): Rescored {
  const fresh = 'fresh' in lead.engagement ? lead.engagement.fresh : [];
  const state =
    'recompute' in lead.engagement
      ? applyEngagementEvents(playbook.document, emptyEngagementState(), lead.engagement.recompute, now)
      : applyEngagementEvents(playbook.document, lead.engagement.fold, fresh, now);
  const { contact, company } = lead;
  const score = scoreContact(playbook.document, { contact, company }, state, now);
  const lifecycle: LifecycleState = {
    stage: isStage(lead.stage) ? lead.stage : 'lead',
    nurtureUntil: lead.nurtureUntil,
    reMqlCount: lead.reMqlCount,
  };
  const request = decideAutomaticTransition(playbook, {
    ...lifecycle,
    score,
    state,
    contact,
    company,
    predicted: lead.predicted,
    handRaiser: findHandRaiser(playbook, fresh, now),
    now,
  });
  if (request === null) return { state, score, lifecycle, move: null };
  const moved = applyTransition(lifecycle, request, now);
  if (!moved.ok) return { state, score, lifecycle, move: null };
  return {
    state,
    score,
    lifecycle: moved.value.state,
    move: {
      from: moved.value.from,
      to: moved.value.to,
      kind: request.kind,
      rule: request.rule,
      at: qualifyingTime(playbook, fresh, now),
    },
  };
}

/**
 * When the action that qualified a lead happened: the hand-raising event's own time, else the
 * newest of the events that tipped it over, else (a rescore, an edit) `now`. Sales' first
 * touch is due from the conversion, not from when Ripen processed it.
 */
function qualifyingTime(playbook: CompiledPlaybook, events: readonly EngagementEvent[], now: number): number {
  const handRaises = handRaisingEvents(playbook, events, now);
  const deciding = handRaises.length > 0 ? handRaises : events;
  if (deciding.length === 0) return now;
  return Math.min(now, Math.max(...deciding.map((event) => event.occurredAt)));
}
