import { parseDuration } from '../duration.ts';
import { assertUnreachable, err, ok, type Result } from '../result.ts';
import { checkComparison, checkContains, checkMember } from './check-criteria-operands.ts';
import { type CriteriaToken, tokenizeCriteria } from './tokenize-criteria.ts';

/** Names a criteria expression can use without a prefix; everything else is `contact.x`, `company.x` or `count(...)`. */
export const CRITERIA_VARIABLES = [
  'fit',
  'engagement',
  'score',
  'grade',
  'temperature',
  'predicted',
  'stage',
  'reMqlCount',
] as const;
export type CriteriaVariable = (typeof CRITERIA_VARIABLES)[number];

export type CompareOperator = '==' | '!=' | '>' | '>=' | '<' | '<=';
export type LiteralValue = string | number | boolean | null;

/** A value inside a condition: a literal, a score variable, a contact/company property or an event count. */
export type CriteriaOperand =
  | { kind: 'literal'; value: LiteralValue }
  | { kind: 'variable'; name: CriteriaVariable }
  | { kind: 'path'; root: 'contact' | 'company'; segments: readonly string[] }
  /** Events kept for an engagement rule, optionally only those within the last `within` (`withinMs` is derived). */
  | { kind: 'count'; rule: string; within: string | null; withinMs: number | null };

/** A parsed criteria expression. `and`/`or` are binary and left-associative, as written. */
export type CriteriaExpr =
  | { kind: 'and'; left: CriteriaExpr; right: CriteriaExpr }
  | { kind: 'or'; left: CriteriaExpr; right: CriteriaExpr }
  | { kind: 'not'; operand: CriteriaExpr }
  | { kind: 'compare'; operator: CompareOperator; left: CriteriaOperand; right: CriteriaOperand }
  | { kind: 'in'; subject: CriteriaOperand; values: readonly LiteralValue[] }
  | { kind: 'contains'; subject: CriteriaOperand; text: string };

/** Why an expression was refused; `column` is 1-based. */
export interface CriteriaSyntaxError {
  kind: 'criteria-syntax';
  message: string;
  column: number;
}

type Parsed<T> = Result<T, CriteriaSyntaxError>;

interface Cursor {
  readonly tokens: readonly CriteriaToken[];
  index: number;
}

const KEYWORDS = ['and', 'or', 'not', 'in', 'contains', 'true', 'false', 'null', 'count'];
const COMPARISON_HINT = 'a comparison (==, !=, >, >=, <, <=, in or contains)';

/**
 * Parses an MQL criteria expression such as `fit >= 50 and engagement >= 40`.
 * Keywords and variable names are case-insensitive; `&&`, `||` and `!` stand for `and`, `or` and `not`.
 * Comparisons that can never make sense (`grade == 'E'`, `fit >= 'high'`) are refused here, not at evaluation.
 */
export function parseCriteria(source: string): Result<CriteriaExpr, CriteriaSyntaxError> {
  const tokens = tokenizeCriteria(source);
  if (!tokens.ok) return tokens;
  const cursor: Cursor = { tokens: tokens.value, index: 0 };
  if (peek(cursor).kind === 'end') return fail(cursor, 'a condition (e.g. `fit >= 50`)');
  const expr = parseOr(cursor);
  if (!expr.ok) return expr;
  const next = peek(cursor);
  if (next.kind !== 'end') {
    return err(
      syntaxError(
        `expected \`and\`, \`or\` or the end after the condition at column ${next.column}, got ${describe(next)}`,
        next.column,
      ),
    );
  }
  return expr;
}

function parseOr(cursor: Cursor): Parsed<CriteriaExpr> {
  let left = parseAnd(cursor);
  while (left.ok && (isWord(peek(cursor), 'or') || isSymbol(peek(cursor), '||'))) {
    cursor.index += 1;
    const right = parseAnd(cursor);
    if (!right.ok) return right;
    left = ok({ kind: 'or', left: left.value, right: right.value });
  }
  return left;
}

function parseAnd(cursor: Cursor): Parsed<CriteriaExpr> {
  let left = parseNot(cursor);
  while (left.ok && (isWord(peek(cursor), 'and') || isSymbol(peek(cursor), '&&'))) {
    cursor.index += 1;
    const right = parseNot(cursor);
    if (!right.ok) return right;
    left = ok({ kind: 'and', left: left.value, right: right.value });
  }
  return left;
}

function parseNot(cursor: Cursor): Parsed<CriteriaExpr> {
  if (isWord(peek(cursor), 'not') || isSymbol(peek(cursor), '!')) {
    cursor.index += 1;
    const operand = parseNot(cursor);
    return operand.ok ? ok({ kind: 'not', operand: operand.value }) : operand;
  }
  return parsePredicate(cursor);
}

function parsePredicate(cursor: Cursor): Parsed<CriteriaExpr> {
  const open = peek(cursor);
  if (isSymbol(open, '(')) {
    cursor.index += 1;
    const inner = parseOr(cursor);
    if (!inner.ok) return inner;
    if (!isSymbol(peek(cursor), ')')) return fail(cursor, '`)`', `to close the \`(\` at column ${open.column}`);
    cursor.index += 1;
    return inner;
  }
  const subjectToken = peek(cursor);
  const subject = parseOperand(cursor, 'a condition (e.g. `fit >= 50`)');
  if (!subject.ok) return subject;
  const operator = peek(cursor);
  if (operator.kind === 'symbol' && isCompareOperator(operator.text)) {
    cursor.index += 1;
    const valueToken = peek(cursor);
    const value = parseOperand(cursor, 'a value');
    if (!value.ok) return value;
    const expr: CriteriaExpr = {
      kind: 'compare',
      operator: operator.text,
      left: subject.value,
      right: value.value,
    };
    const problem = checkComparison(expr, {
      left: subjectToken.column,
      operator: operator.column,
      right: valueToken.column,
    });
    return problem ? err(syntaxError(problem.message, problem.column)) : ok(expr);
  }
  const negated = isWord(operator, 'not') && (isWord(peekAt(cursor, 1), 'in') || isWord(peekAt(cursor, 1), 'contains'));
  if (negated) cursor.index += 1;
  const keyword = peek(cursor);
  let expr: Parsed<CriteriaExpr>;
  if (isWord(keyword, 'in')) expr = parseMembership(cursor, subject.value);
  else if (isWord(keyword, 'contains')) expr = parseContains(cursor, subject.value, subjectToken.column);
  else return fail(cursor, COMPARISON_HINT);
  if (!expr.ok || !negated) return expr;
  return ok({ kind: 'not', operand: expr.value });
}

function parseMembership(cursor: Cursor, subject: CriteriaOperand): Parsed<CriteriaExpr> {
  cursor.index += 1;
  const open = peek(cursor);
  if (!isSymbol(open, '[')) return fail(cursor, "a list (e.g. `['A', 'B']`)");
  cursor.index += 1;
  const values: LiteralValue[] = [];
  if (isSymbol(peek(cursor), ']')) return fail(cursor, 'at least one value in the list');
  for (;;) {
    const token = peek(cursor);
    const value = parseOperand(cursor, 'a value (a number, quoted text, true, false or null)');
    if (!value.ok) return value;
    if (value.value.kind !== 'literal') {
      return err(
        syntaxError(
          `expected a fixed value in the list at column ${token.column}, got ${describe(token)}`,
          token.column,
        ),
      );
    }
    const problem = checkMember(subject, value.value.value, token.column);
    if (problem) return err(syntaxError(problem.message, problem.column));
    values.push(value.value.value);
    if (isSymbol(peek(cursor), ']')) break;
    if (!isSymbol(peek(cursor), ','))
      return fail(cursor, '`,` or `]`', `to continue or close the list opened at column ${open.column}`);
    cursor.index += 1;
  }
  cursor.index += 1;
  return ok({ kind: 'in', subject, values });
}

function parseContains(cursor: Cursor, subject: CriteriaOperand, subjectColumn: number): Parsed<CriteriaExpr> {
  const problem = checkContains(subject, subjectColumn);
  if (problem) return err(syntaxError(problem.message, problem.column));
  cursor.index += 1;
  const token = peek(cursor);
  if (token.kind !== 'string') return fail(cursor, "quoted text (e.g. `'marketing'`)");
  cursor.index += 1;
  return ok({ kind: 'contains', subject, text: token.value });
}

function parseOperand(cursor: Cursor, expected: string): Parsed<CriteriaOperand> {
  const token = peek(cursor);
  switch (token.kind) {
    case 'number':
    case 'string':
      cursor.index += 1;
      return ok({ kind: 'literal', value: token.value });
    case 'word':
      return parseWord(cursor, token, expected);
    case 'symbol':
    case 'end':
      return fail(cursor, expected);
    default:
      return assertUnreachable(token);
  }
}

function parseWord(
  cursor: Cursor,
  token: Extract<CriteriaToken, { kind: 'word' }>,
  expected: string,
): Parsed<CriteriaOperand> {
  const lower = token.text.toLowerCase();
  const [root = '', ...segments] = token.text.split('.');
  const rootLower = root.toLowerCase();
  if (lower === 'count') return parseCount(cursor);
  if (KEYWORDS.includes(lower) && !['true', 'false', 'null'].includes(lower)) return fail(cursor, expected);
  cursor.index += 1;
  if (lower === 'true' || lower === 'false') return ok({ kind: 'literal', value: lower === 'true' });
  if (lower === 'null') return ok({ kind: 'literal', value: null });
  if (rootLower === 'contact' || rootLower === 'company') {
    if (segments.length > 0) return ok({ kind: 'path', root: rootLower, segments });
    const message = `\`${root}\` needs a property at column ${token.column}, e.g. \`${rootLower}.${rootLower === 'contact' ? 'jobTitle' : 'employees'}\``;
    return err(syntaxError(message, token.column));
  }
  const variable = CRITERIA_VARIABLES.find((name) => name.toLowerCase() === lower);
  if (variable) return ok({ kind: 'variable', name: variable });
  const known = [...CRITERIA_VARIABLES, 'contact.<property>', 'company.<property>', "count('<rule>', '<duration>')"];
  return err(
    syntaxError(
      `unknown name \`${token.text}\` at column ${token.column}; use one of ${known.join(', ')}`,
      token.column,
    ),
  );
}

function parseCount(cursor: Cursor): Parsed<CriteriaOperand> {
  cursor.index += 1;
  if (!isSymbol(peek(cursor), '(')) return fail(cursor, '`(`', "as in `count('pricing-page', '30d')`");
  cursor.index += 1;
  const rule = peek(cursor);
  if (rule.kind !== 'string' || rule.value.trim() === '')
    return fail(cursor, "an engagement rule id in quotes (e.g. `'pricing-page'`)");
  cursor.index += 1;
  let within: { text: string; ms: number } | null = null;
  if (isSymbol(peek(cursor), ',')) {
    cursor.index += 1;
    const duration = peek(cursor);
    if (duration.kind !== 'string') return fail(cursor, "a duration in quotes (e.g. `'30d'`)");
    const ms = parseDuration(duration.value);
    if (!ms.ok) {
      return err(
        syntaxError(`the window of \`count\` at column ${duration.column} must be ${ms.error}`, duration.column),
      );
    }
    within = { text: duration.value, ms: ms.value };
    cursor.index += 1;
  }
  if (!isSymbol(peek(cursor), ')')) return fail(cursor, '`)`', 'to close `count(`');
  cursor.index += 1;
  return ok({ kind: 'count', rule: rule.value, within: within?.text ?? null, withinMs: within?.ms ?? null });
}

function isCompareOperator(text: string): text is CompareOperator {
  return text === '==' || text === '!=' || text === '>' || text === '>=' || text === '<' || text === '<=';
}

function peek(cursor: Cursor): CriteriaToken {
  return peekAt(cursor, 0);
}

function peekAt(cursor: Cursor, offset: number): CriteriaToken {
  const last = cursor.tokens[cursor.tokens.length - 1];
  const token = cursor.tokens[cursor.index + offset] ?? last;
  if (!token) throw new Error('a token list always ends with an end token');
  return token;
}

function isWord(token: CriteriaToken, word: string): boolean {
  return token.kind === 'word' && token.text.toLowerCase() === word;
}

function isSymbol(token: CriteriaToken, symbol: string): boolean {
  return token.kind === 'symbol' && token.text === symbol;
}

function describe(token: CriteriaToken): string {
  return token.kind === 'end' ? 'end of expression' : `\`${token.text}\``;
}

/** "expected X after `previous` at column N, got Y (why)", pointing at the current token. */
function fail<T>(cursor: Cursor, expected: string, why?: string): Parsed<T> {
  const token = peek(cursor);
  const previous = cursor.index > 0 ? cursor.tokens[cursor.index - 1] : undefined;
  const after = previous ? ` after \`${previous.text}\`` : '';
  const note = why ? ` (${why})` : '';
  const message = `expected ${expected}${after} at column ${token.column}, got ${describe(token)}${note}`;
  return err(syntaxError(message, token.column));
}

function syntaxError(message: string, column: number): CriteriaSyntaxError {
  return { kind: 'criteria-syntax', message, column };
}
