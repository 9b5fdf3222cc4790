import { assertUnreachable } from '../result.ts';
import type { CriteriaExpr, CriteriaOperand } from './parse-criteria.ts';

/** Engagement rule ids used in `count(...)`, each once, in order of appearance, so a playbook can check they exist. */
export function listReferencedRules(expr: CriteriaExpr): string[] {
  const rules = new Set<string>();
  collectRules(expr, rules);
  return [...rules];
}

function collectRules(expr: CriteriaExpr, rules: Set<string>): void {
  switch (expr.kind) {
    case 'and':
    case 'or':
      collectRules(expr.left, rules);
      collectRules(expr.right, rules);
      return;
    case 'not':
      collectRules(expr.operand, rules);
      return;
    case 'compare':
      collectOperand(expr.left, rules);
      collectOperand(expr.right, rules);
      return;
    case 'in':
    case 'contains':
      collectOperand(expr.subject, rules);
      return;
    default:
      assertUnreachable(expr);
  }
}

function collectOperand(operand: CriteriaOperand, rules: Set<string>): void {
  if (operand.kind === 'count') rules.add(operand.rule);
}
