import { STAGES } from '../lifecycle/stages.ts';
import { assertUnreachable } from '../result.ts';
import { GRADES, TEMPERATURES } from '../scoring/grades.ts';
import { formatOperand } from './format-criteria.ts';
import type {
  CompareOperator,
  CriteriaExpr,
  CriteriaOperand,
  CriteriaVariable,
  LiteralValue,
} from './parse-criteria.ts';

/** A comparison that parses but can never make sense, with the column to point at. */
export interface OperandProblem {
  message: string;
  column: number;
}

type KnownType = 'number' | 'grade' | 'temperature' | 'stage';

const VARIABLE_TYPES: Record<CriteriaVariable, KnownType> = {
  fit: 'number',
  engagement: 'number',
  score: 'number',
  grade: 'grade',
  temperature: 'temperature',
  predicted: 'number',
  stage: 'stage',
  reMqlCount: 'number',
};

const MEMBERS: Record<Exclude<KnownType, 'number'>, readonly string[]> = {
  grade: GRADES,
  temperature: TEMPERATURES,
  stage: STAGES,
};

const ORDERING: readonly CompareOperator[] = ['>', '>=', '<', '<='];

/** Refuses `fit >= 'high'`, `grade == 'E'`, `stage > 'mql'`, `fit < null` and the like at parse time. */
export function checkComparison(
  expr: Extract<CriteriaExpr, { kind: 'compare' }>,
  columns: { left: number; operator: number; right: number },
): OperandProblem | null {
  const { operator, left, right } = expr;
  const ordering = ORDERING.includes(operator);
  if (ordering && (isNullLiteral(left) || isNullLiteral(right))) {
    return {
      message: `\`${operator}\` cannot compare with \`null\` at column ${columns.operator}; use \`== null\` or \`!= null\``,
      column: columns.operator,
    };
  }
  const leftType = typeOf(left);
  const rightType = typeOf(right);
  if (leftType && rightType && leftType.type !== rightType.type) {
    const message = `cannot compare ${leftType.name} (a ${leftType.type}) with ${rightType.name} (a ${rightType.type}) at column ${columns.operator}`;
    return { message, column: columns.operator };
  }
  if (leftType && right.kind === 'literal') {
    const problem = checkLiteral(leftType, right.value, columns.right);
    if (problem) return problem;
  }
  if (rightType && left.kind === 'literal') {
    const problem = checkLiteral(rightType, left.value, columns.left);
    if (problem) return problem;
  }
  if (!ordering) return null;
  const type = leftType?.type ?? rightType?.type ?? null;
  if (type === 'stage') {
    return {
      message: `\`stage\` can only be compared with \`==\`, \`!=\` or \`in\`, got \`${operator}\` at column ${columns.operator}`,
      column: columns.operator,
    };
  }
  if (type === 'grade' || type === 'temperature') return null;
  for (const [operand, column] of [
    [left, columns.left],
    [right, columns.right],
  ] as const) {
    if (operand.kind === 'literal' && typeof operand.value !== 'number') {
      const hint = numericText(operand.value) ? `; write ${operand.value} without quotes` : '';
      return {
        message: `\`${operator}\` compares numbers, got ${show(operand.value)} at column ${column}${hint}`,
        column,
      };
    }
  }
  return null;
}

/** Checks one value of an `in [...]` list against the subject's type. */
export function checkMember(subject: CriteriaOperand, value: LiteralValue, column: number): OperandProblem | null {
  const type = typeOf(subject);
  return type ? checkLiteral(type, value, column) : null;
}

/** `contains` is a text search, so it only applies to contact and company properties. */
export function checkContains(subject: CriteriaOperand, column: number): OperandProblem | null {
  if (subject.kind === 'path') return null;
  const message = `\`contains\` searches contact and company properties (e.g. \`contact.jobTitle contains 'marketing'\`), got \`${formatOperand(subject)}\` at column ${column}`;
  return { message, column };
}

function typeOf(operand: CriteriaOperand): { type: KnownType; name: string } | null {
  switch (operand.kind) {
    case 'variable':
      return { type: VARIABLE_TYPES[operand.name], name: `\`${operand.name}\`` };
    case 'count':
      return { type: 'number', name: '`count(...)`' };
    case 'literal':
    case 'path':
      return null;
    default:
      return assertUnreachable(operand);
  }
}

function checkLiteral(
  known: { type: KnownType; name: string },
  value: LiteralValue,
  column: number,
): OperandProblem | null {
  if (value === null) return null;
  if (known.type === 'number') {
    if (typeof value === 'number') return null;
    const hint = numericText(value) ? `; write ${value} without quotes` : '; write a number, e.g. 50';
    return { message: `${known.name} is a number, got ${show(value)} at column ${column}${hint}`, column };
  }
  const members = MEMBERS[known.type];
  if (typeof value === 'string' && members.some((member) => member.toLowerCase() === value.toLowerCase())) return null;
  const list = members.map((member) => `'${member}'`).join(', ');
  return { message: `${known.name} is one of ${list}, got ${show(value)} at column ${column}`, column };
}

function isNullLiteral(operand: CriteriaOperand): boolean {
  return operand.kind === 'literal' && operand.value === null;
}

function numericText(value: LiteralValue): boolean {
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
}

function show(value: LiteralValue): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
