import type { CriteriaExpr } from '../criteria/parse-criteria.ts';
import { parseCriteria } from '../criteria/parse-criteria.ts';
import { durationMs } from '../duration.ts';
import type { EventMatch, Playbook } from './playbook-schema.ts';

/** How old a hand-raising event may be when scored, unless the playbook says (`handRaisers.within`). */
export const HAND_RAISE_WITHIN = '30d';

/** A published playbook, ready for the hot path: criteria parsed once. */
export interface CompiledPlaybook {
  version: number;
  document: Playbook;
  criteria: Array<{ id: string; expr: CriteriaExpr }>;
  handRaisers: {
    minFit: number;
    /** How old a hand-raising event may be when it is scored and still take the fast lane. */
    withinMs: number;
    events: Array<{ id: string; match: EventMatch }>;
  } | null;
}

/** Compiles a validated playbook. Throws only on a document that skipped validation (a bug). */
export function compilePlaybook(document: Playbook, version: number): CompiledPlaybook {
  const criteria = document.mql.criteria.map((criterion) => {
    const parsed = parseCriteria(criterion.when);
    if (!parsed.ok) throw new Error(`playbook v${version} criterion ${criterion.id}: ${parsed.error.message}`);
    return { id: criterion.id, expr: parsed.value };
  });
  const raisers = document.handRaisers;
  const handRaisers = raisers
    ? { minFit: raisers.minFit, withinMs: durationMs(raisers.within ?? HAND_RAISE_WITHIN), events: raisers.events }
    : null;
  return { version, document, criteria, handRaisers };
}
