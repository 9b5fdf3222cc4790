import type { Playbook } from '../playbook/playbook-schema.ts';
import type { EngagementState } from './engagement-state.ts';
import type { Grade, Temperature } from './grades.ts';
import { type EngagementLine, scoreEngagement } from './score-engagement.ts';
import { type FitLine, type FitResult, type FitSubject, scoreFit } from './score-fit.ts';

export const DEFAULT_WEIGHTS = { fitWeight: 0.5, engagementWeight: 0.5 } as const;

/** A contact's full score at one instant, with the explanation of every point. */
export interface ContactScore {
  fitCenti: number;
  engagementCenti: number;
  /** The single combined number: fit × fitWeight + engagement × engagementWeight, rounded. */
  combinedCenti: number;
  grade: Grade;
  temperature: Temperature;
  fitLines: FitLine[];
  engagementLines: EngagementLine[];
  weights: { fitWeight: number; engagementWeight: number };
  at: number;
}

/** Scores a contact: a pure function of properties, engagement state, playbook and `now`. */
export function scoreContact(
  playbook: Playbook,
  subject: FitSubject,
  state: EngagementState,
  now: number,
): ContactScore {
  return scoreWithFit(playbook, scoreFit(playbook, subject, now), state, now);
}

/**
 * `scoreContact` with the fit already scored at `now` (fit changes only with `age` rules, so a
 * replay scores it once per answer of theirs rather than at every instant).
 */
export function scoreWithFit(playbook: Playbook, fit: FitResult, state: EngagementState, now: number): ContactScore {
  const engagement = scoreEngagement(playbook, state, now);
  const weights = playbook.combined ?? DEFAULT_WEIGHTS;
  return {
    fitCenti: fit.centi,
    engagementCenti: engagement.centi,
    combinedCenti: Math.round(fit.centi * weights.fitWeight + engagement.centi * weights.engagementWeight),
    grade: fit.grade,
    temperature: engagement.temperature,
    fitLines: fit.lines,
    engagementLines: engagement.lines,
    weights: { fitWeight: weights.fitWeight, engagementWeight: weights.engagementWeight },
    at: now,
  };
}
