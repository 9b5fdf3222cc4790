import { evaluateCriteria } from '../criteria/evaluate-criteria.ts';
import type { CriteriaExpr } from '../criteria/parse-criteria.ts';
import type { CompiledPlaybook } from '../playbook/compile-playbook.ts';
import type { Condition } from '../playbook/condition-schema.ts';
import type { Playbook } from '../playbook/playbook-schema.ts';
import { type MatchableEvent, matchesCondition, matchesEvent } from '../scoring/match-condition.ts';
import { fromCenti, toCenti } from '../scoring/points.ts';
import { type FitResult, scoreFit } from '../scoring/score-fit.ts';
import { optimisticCriteria } from './optimistic-criteria.ts';

/** Whether a replayed lead could qualify at an instant: a cheap, sound test before the real rescore. */
export interface QualificationOutlook {
  /**
   * False only when `rescoreLead` at `at`, with `fresh` as the new events, certainly moves
   * nothing: no hand-raise the fit allows, and no MQL criterion that any engagement could meet.
   */
  mayQualify(at: number, fresh: readonly MatchableEvent[]): boolean;
  /** The lead's fit at `at`, as `scoreFit` scores it. */
  fitAt(at: number): FitResult;
}

const optimisticByPlaybook = new WeakMap<CompiledPlaybook, CriteriaExpr[]>();
const agesByDocument = new WeakMap<Playbook, Condition[]>();

/**
 * The outlook of one lead under one playbook. Its fit depends on the instant only through the
 * fit rules' `age` conditions, so fit is computed once per combination of their answers; whether
 * a criterion could hold depends only on that fit and the lead's fixed facts, once per fit.
 */
export function createQualificationOutlook(
  playbook: CompiledPlaybook,
  subject: { contact: Record<string, unknown>; company: Record<string, unknown> | null; predicted: number | null },
): QualificationOutlook {
  const ages = ageConditionsOf(playbook.document);
  const fits = new Map<number, FitResult>();
  const criteria = new Map<number, boolean>();
  const fitAt = (at: number) => {
    // Which `age` conditions hold now, as the bits of a number (a playbook has a handful).
    let key = 0;
    for (const condition of ages) key = key * 2 + (matchesCondition(condition, subject, at) ? 1 : 0);
    // Past 52 conditions the bits would not fit a number exactly: no memo (never seen in practice).
    if (ages.length > 52) return scoreFit(playbook.document, subject, at);
    let fit = fits.get(key);
    if (fit === undefined) {
      fit = scoreFit(playbook.document, subject, at);
      fits.set(key, fit);
    }
    return fit;
  };
  const criteriaMayHold = (fit: FitResult) => {
    let may = criteria.get(fit.centi);
    if (may === undefined) {
      const context = {
        fit: fromCenti(fit.centi),
        grade: fit.grade,
        predicted: subject.predicted,
        stage: 'lead' as const,
        reMqlCount: 0,
        contact: subject.contact,
        company: subject.company,
        // Never read: optimisticCriteria replaced every comparison on these.
        engagement: 0,
        score: 0,
        temperature: 'cold' as const,
        countRule: () => 0,
      };
      may = optimisticOf(playbook).some((expr) => evaluateCriteria(expr, context));
      criteria.set(fit.centi, may);
    }
    return may;
  };
  const { handRaisers } = playbook;
  return {
    fitAt,
    mayQualify(at, fresh) {
      const fit = fitAt(at);
      if (
        handRaisers !== null &&
        fit.centi >= toCenti(handRaisers.minFit) &&
        fresh.some((event) => handRaisers.events.some((rule) => matchesEvent(rule.match, event)))
      ) {
        return true;
      }
      return criteriaMayHold(fit);
    },
  };
}

function optimisticOf(playbook: CompiledPlaybook): CriteriaExpr[] {
  let exprs = optimisticByPlaybook.get(playbook);
  if (exprs === undefined) {
    exprs = playbook.criteria.map((criterion) => optimisticCriteria(criterion.expr));
    optimisticByPlaybook.set(playbook, exprs);
  }
  return exprs;
}

/** Every `age` condition of the fit rules, however deeply nested: the only way fit depends on time. */
function ageConditionsOf(document: Playbook): Condition[] {
  let ages = agesByDocument.get(document);
  if (ages === undefined) {
    const found: Condition[] = [];
    for (const group of document.fit.groups) for (const rule of group.rules) collectAges(rule.when, found);
    ages = found;
    agesByDocument.set(document, ages);
  }
  return ages;
}

function collectAges(condition: Condition, into: Condition[]): void {
  if ('all' in condition) for (const item of condition.all) collectAges(item, into);
  else if ('any' in condition) for (const item of condition.any) collectAges(item, into);
  else if ('not' in condition) collectAges(condition.not, into);
  else if (condition.op === 'age') into.push(condition);
}
