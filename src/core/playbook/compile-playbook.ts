import type { CriteriaExpr } from '../criteria/parse-criteria.ts';
import { parseCriteria } from '../criteria/parse-criteria.ts';
import type { EventMatch, Playbook } from './playbook-schema.ts';

/** A published playbook, ready for the hot path: criteria parsed once. */
export interface CompiledPlaybook {
  version: number;
  document: Playbook;
  criteria: Array<{ id: string; expr: CriteriaExpr }>;
  handRaisers: { minFit: number; events: Array<{ id: string; match: EventMatch }> } | null;
}

/** Compiles a validated playbook. Throws only on a document that skipped validation (a bug). */
export function compilePlaybook(document: Playbook, version: number): CompiledPlaybook {
  const criteria = document.mql.criteria.map((criterion) => {
    const parsed = parseCriteria(criterion.when);
    if (!parsed.ok) throw new Error(`playbook v${version} criterion ${criterion.id}: ${parsed.error.message}`);
    return { id: criterion.id, expr: parsed.value };
  });
  return { version, document, criteria, handRaisers: document.handRaisers ?? null };
}
