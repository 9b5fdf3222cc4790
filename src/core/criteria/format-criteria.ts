import { assertUnreachable } from '../result.ts';
import type { CriteriaExpr, CriteriaOperand, LiteralValue } from './parse-criteria.ts';

/**
 * Prints an expression in canonical form (lowercase keywords, single quotes, minimal parentheses),
 * such that `parseCriteria(formatCriteria(expr))` gives back the same expression.
 */
export function formatCriteria(expr: CriteriaExpr): string {
  switch (expr.kind) {
    case 'or':
      return `${formatCriteria(expr.left)} or ${wrapIf(expr.right, expr.right.kind === 'or')}`;
    case 'and': {
      const left = wrapIf(expr.left, expr.left.kind === 'or');
      const right = wrapIf(expr.right, expr.right.kind === 'or' || expr.right.kind === 'and');
      return `${left} and ${right}`;
    }
    case 'not':
      return `not ${wrapIf(expr.operand, expr.operand.kind !== 'not')}`;
    case 'compare':
      return `${formatOperand(expr.left)} ${expr.operator} ${formatOperand(expr.right)}`;
    case 'in':
      return `${formatOperand(expr.subject)} in [${expr.values.map(formatLiteral).join(', ')}]`;
    case 'contains':
      return `${formatOperand(expr.subject)} contains ${formatLiteral(expr.text)}`;
    default:
      return assertUnreachable(expr);
  }
}

/** Prints one operand: `fit`, `contact.jobTitle`, `count('pricing-page', '30d')`, `'text'`, `42`. */
export function formatOperand(operand: CriteriaOperand): string {
  switch (operand.kind) {
    case 'literal':
      return formatLiteral(operand.value);
    case 'variable':
      return operand.name;
    case 'path':
      return [operand.root, ...operand.segments].join('.');
    case 'count': {
      const within = operand.within === null ? '' : `, ${formatLiteral(operand.within)}`;
      return `count(${formatLiteral(operand.rule)}${within})`;
    }
    default:
      return assertUnreachable(operand);
  }
}

function formatLiteral(value: LiteralValue): string {
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  return String(value);
}

function wrapIf(expr: CriteriaExpr, wrap: boolean): string {
  return wrap ? `(${formatCriteria(expr)})` : formatCriteria(expr);
}
