import type { Stage } from '../lifecycle/stages.ts';
import { assertUnreachable } from '../result.ts';
import { GRADES, type Grade, TEMPERATURES, type Temperature } from '../scoring/grades.ts';
import { toNumber } from '../to-number.ts';
import type { CompareOperator, CriteriaExpr, CriteriaOperand } from './parse-criteria.ts';

/** What a criteria expression can see about one contact at one moment. */
export interface CriteriaContext {
  fit: number;
  engagement: number;
  score: number;
  grade: Grade;
  temperature: Temperature;
  predicted: number | null;
  stage: Stage;
  reMqlCount: number;
  contact: Record<string, unknown>;
  company: Record<string, unknown> | null;
  /** Events kept for an engagement rule, only those within the last `withinMs` when it is not null. */
  countRule(ruleId: string, withinMs: number | null): number;
}

/**
 * Evaluates a parsed criteria expression. Never throws on missing or odd-typed data.
 *
 * - Numbers compare numerically, numbers-as-text included (`company.employees >= 200` holds for `'250'`).
 * - Text compares case-insensitively; `contains` is a case-insensitive substring search (any item of a list).
 * - `grade` and `temperature` are ordered: `grade >= 'B'` holds for A and B, `temperature >= 'warm'` for warm and hot.
 * - A missing value (absent property, no company, `predicted` not computed) equals nothing: `!=` holds
 *   (`contact.country != 'RU'` keeps unknown countries, like the fit rules' `notEquals`) and every other
 *   comparison fails. Test for absence with `== null` and presence with `!= null`.
 */
export function evaluateCriteria(expr: CriteriaExpr, ctx: CriteriaContext): boolean {
  switch (expr.kind) {
    case 'and':
      return evaluateCriteria(expr.left, ctx) && evaluateCriteria(expr.right, ctx);
    case 'or':
      return evaluateCriteria(expr.left, ctx) || evaluateCriteria(expr.right, ctx);
    case 'not':
      return !evaluateCriteria(expr.operand, ctx);
    case 'compare':
      return evaluateComparison(expr.operator, expr.left, expr.right, ctx);
    case 'in':
      return expr.values.some((value) => evaluateComparison('==', expr.subject, { kind: 'literal', value }, ctx));
    case 'contains':
      return containsText(resolveOperand(expr.subject, ctx), expr.text.toLowerCase());
    default:
      return assertUnreachable(expr);
  }
}

function evaluateComparison(
  operator: CompareOperator,
  left: CriteriaOperand,
  right: CriteriaOperand,
  ctx: CriteriaContext,
): boolean {
  const leftValue = resolveOperand(left, ctx);
  const rightValue = resolveOperand(right, ctx);
  if (isNullLiteral(left) || isNullLiteral(right)) {
    // A presence test: the only comparison where a missing value can hold.
    if (operator === '==') return isMissing(leftValue) && isMissing(rightValue);
    if (operator === '!=') return isMissing(leftValue) !== isMissing(rightValue);
    return false;
  }
  // A missing value is not equal to anything: `!=` holds, every other comparison fails.
  if (isMissing(leftValue) || isMissing(rightValue)) return operator === '!=';
  const scale = scaleOf(left) ?? scaleOf(right);
  if (scale) {
    const leftRank = rankOf(scale, leftValue);
    const rightRank = rankOf(scale, rightValue);
    if (leftRank !== null && rightRank !== null) return compareNumbers(operator, leftRank, rightRank);
  }
  switch (operator) {
    case '==':
      return looselyEquals(leftValue, rightValue);
    case '!=':
      return !looselyEquals(leftValue, rightValue);
    case '>':
    case '>=':
    case '<':
    case '<=': {
      const leftNumber = toNumber(leftValue);
      const rightNumber = toNumber(rightValue);
      return leftNumber !== null && rightNumber !== null && compareNumbers(operator, leftNumber, rightNumber);
    }
    default:
      return assertUnreachable(operator);
  }
}

function compareNumbers(operator: CompareOperator, left: number, right: number): boolean {
  switch (operator) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    default:
      return assertUnreachable(operator);
  }
}

function resolveOperand(operand: CriteriaOperand, ctx: CriteriaContext): unknown {
  switch (operand.kind) {
    case 'literal':
      return operand.value;
    case 'variable':
      return ctx[operand.name];
    case 'path':
      return readPath(operand.root === 'contact' ? ctx.contact : ctx.company, operand.segments);
    case 'count':
      return ctx.countRule(operand.rule, operand.withinMs);
    default:
      return assertUnreachable(operand);
  }
}

function readPath(subject: unknown, segments: readonly string[]): unknown {
  let current = subject;
  for (const segment of segments) {
    if (!isRecord(current) || !Object.hasOwn(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Scale = 'grade' | 'temperature';

function scaleOf(operand: CriteriaOperand): Scale | null {
  if (operand.kind !== 'variable') return null;
  if (operand.name === 'grade' || operand.name === 'temperature') return operand.name;
  return null;
}

/** Higher is better: A outranks D, hot outranks cold. */
function rankOf(scale: Scale, value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const wanted = value.toLowerCase();
  switch (scale) {
    case 'grade': {
      const index = GRADES.findIndex((grade) => grade.toLowerCase() === wanted);
      return index < 0 ? null : GRADES.length - index;
    }
    case 'temperature': {
      const index = TEMPERATURES.findIndex((temperature) => temperature.toLowerCase() === wanted);
      return index < 0 ? null : index + 1;
    }
    default:
      return assertUnreachable(scale);
  }
}

function isNullLiteral(operand: CriteriaOperand): boolean {
  return operand.kind === 'literal' && operand.value === null;
}

function isMissing(value: unknown): boolean {
  return value === null || value === undefined;
}

function toText(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  return null;
}

/** Numeric when both sides read as numbers, else case-insensitive text; lists and objects equal nothing. */
function looselyEquals(left: unknown, right: unknown): boolean {
  const leftNumber = toNumber(left);
  const rightNumber = toNumber(right);
  if (leftNumber !== null && rightNumber !== null) return leftNumber === rightNumber;
  const leftText = toText(left);
  const rightText = toText(right);
  return leftText !== null && rightText !== null && leftText.toLowerCase() === rightText.toLowerCase();
}

function containsText(value: unknown, needle: string): boolean {
  const items = Array.isArray(value) ? value : [value];
  return items.some((item) => toText(item)?.toLowerCase().includes(needle) ?? false);
}
