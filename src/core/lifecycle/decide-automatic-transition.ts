import { evaluateCriteria } from '../criteria/evaluate-criteria.ts';
import type { CompiledPlaybook } from '../playbook/compile-playbook.ts';
import { countRuleEvents, type EngagementState } from '../scoring/engagement-state.ts';
import { fromCenti, toCenti } from '../scoring/points.ts';
import type { ContactScore } from '../scoring/score-contact.ts';
import type { TransitionRequest } from './apply-transition.ts';
import type { Stage } from './stages.ts';

export interface AutomaticInput {
  stage: Stage;
  nurtureUntil: number | null;
  reMqlCount: number;
  score: ContactScore;
  state: EngagementState;
  contact: Record<string, unknown>;
  company: Record<string, unknown> | null;
  predicted: number | null;
  /** Id of the hand-raiser event rule matched by a new event, if any. */
  handRaiser: string | null;
  now: number;
}

/** The moves rules make on their own: the fast lane and MQL criteria. */
export type AutomaticRequest = Extract<TransitionRequest, { kind: 'qualify-mql' | 'hand-raise' }>;

/**
 * The move the playbook asks for, if any: the hand-raiser fast lane when fit meets its
 * minimum, else the first MQL criterion that holds. Only leads, and recycled leads whose
 * nurture period is over, qualify automatically; a hand-raiser cuts nurture short.
 */
export function decideAutomaticTransition(playbook: CompiledPlaybook, input: AutomaticInput): AutomaticRequest | null {
  const { stage } = input;
  if (stage !== 'lead' && stage !== 'recycled') return null;
  if (
    input.handRaiser !== null &&
    playbook.handRaisers !== null &&
    input.score.fitCenti >= toCenti(playbook.handRaisers.minFit)
  ) {
    return { kind: 'hand-raise', rule: input.handRaiser };
  }
  if (stage === 'recycled' && input.nurtureUntil !== null && input.now < input.nurtureUntil) return null;
  const met = findMetCriterion(playbook, input);
  return met ? { kind: 'qualify-mql', rule: met } : null;
}

/**
 * The id of the first MQL criterion the lead's scores meet, whatever its stage: whether it
 * qualifies, which for a lead already past `lead` is what an impact preview asks.
 */
export function findMetCriterion(
  playbook: CompiledPlaybook,
  input: Omit<AutomaticInput, 'handRaiser' | 'nurtureUntil'>,
): string | null {
  const { stage } = input;
  const context = {
    fit: fromCenti(input.score.fitCenti),
    engagement: fromCenti(input.score.engagementCenti),
    score: fromCenti(input.score.combinedCenti),
    grade: input.score.grade,
    temperature: input.score.temperature,
    predicted: input.predicted,
    stage,
    reMqlCount: input.reMqlCount,
    contact: input.contact,
    company: input.company,
    countRule: (ruleId: string, withinMs: number | null) => countRuleEvents(input.state, ruleId, withinMs, input.now),
  };
  return playbook.criteria.find((criterion) => evaluateCriteria(criterion.expr, context))?.id ?? null;
}
