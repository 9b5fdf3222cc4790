import type { CriteriaExpr, CriteriaOperand } from '../criteria/parse-criteria.ts';
import { assertUnreachable } from '../result.ts';

const ALWAYS: CriteriaExpr = {
  kind: 'compare',
  operator: '==',
  left: { kind: 'literal', value: 1 },
  right: { kind: 'literal', value: 1 },
};
const NEVER: CriteriaExpr = {
  kind: 'compare',
  operator: '==',
  left: { kind: 'literal', value: 1 },
  right: { kind: 'literal', value: 2 },
};

/**
 * Whether an operand can change while a lead's events are replayed: its engagement, the combined
 * score and temperature that follow it, and event counts. Fit and grade change only with `age`
 * rules, at instants the replay tracks itself; properties, `predicted`, the stage (`lead`) and the
 * re-MQL count (0) stay as they are.
 */
function varies(operand: CriteriaOperand): boolean {
  switch (operand.kind) {
    case 'literal':
    case 'path':
      return false;
    case 'count':
      return true;
    case 'variable':
      return operand.name === 'engagement' || operand.name === 'score' || operand.name === 'temperature';
    default:
      return assertUnreachable(operand);
  }
}

/**
 * The expression with every comparison on a varying operand replaced by the answer most in its
 * favour: true where it counts for the criterion, false under a `not`. `and`, `or` and `not` being
 * monotone, the original can only hold where this one does: when this one is false with the
 * lead's fixed facts, no engagement, score, temperature or count can make the original true.
 */
export function optimisticCriteria(expr: CriteriaExpr, favoured = true): CriteriaExpr {
  const unknown = favoured ? ALWAYS : NEVER;
  switch (expr.kind) {
    case 'and':
    case 'or':
      return {
        kind: expr.kind,
        left: optimisticCriteria(expr.left, favoured),
        right: optimisticCriteria(expr.right, favoured),
      };
    case 'not':
      return { kind: 'not', operand: optimisticCriteria(expr.operand, !favoured) };
    case 'compare':
      return varies(expr.left) || varies(expr.right) ? unknown : expr;
    case 'in':
    case 'contains':
      return varies(expr.subject) ? unknown : expr;
    default:
      return assertUnreachable(expr);
  }
}
