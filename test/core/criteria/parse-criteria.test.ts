import { describe, expect, it } from 'vitest';
import { formatCriteria } from '../../../src/core/criteria/format-criteria.ts';
import { type CriteriaExpr, parseCriteria } from '../../../src/core/criteria/parse-criteria.ts';
import { listReferencedRules } from '../../../src/core/criteria/referenced-rules.ts';

/** The tree as nested prefix forms, leaves in canonical text: `(or [a] (and [b] [c]))`. */
function shape(expr: CriteriaExpr): string {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return `(${expr.kind} ${shape(expr.left)} ${shape(expr.right)})`;
    case 'not':
      return `(not ${shape(expr.operand)})`;
    default:
      return `[${formatCriteria(expr)}]`;
  }
}

function parseOrThrow(source: string): CriteriaExpr {
  const parsed = parseCriteria(source);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('parseCriteria: precedence and grouping', () => {
  const cases = [
    {
      name: 'and binds tighter than or',
      source: 'fit > 1 or fit > 2 and fit > 3',
      shape: '(or [fit > 1] (and [fit > 2] [fit > 3]))',
    },
    {
      name: 'and binds tighter than or on the left too',
      source: 'fit > 1 and fit > 2 or fit > 3',
      shape: '(or (and [fit > 1] [fit > 2]) [fit > 3])',
    },
    {
      name: 'or is left-associative',
      source: 'fit > 1 or fit > 2 or fit > 3',
      shape: '(or (or [fit > 1] [fit > 2]) [fit > 3])',
    },
    {
      name: 'and is left-associative',
      source: 'fit > 1 and fit > 2 and fit > 3',
      shape: '(and (and [fit > 1] [fit > 2]) [fit > 3])',
    },
    { name: 'not binds tighter than and', source: 'not fit > 1 and fit > 2', shape: '(and (not [fit > 1]) [fit > 2])' },
    {
      name: 'not applies to a whole comparison',
      source: "not contact.country == 'RU'",
      shape: "(not [contact.country == 'RU'])",
    },
    { name: 'not can be repeated', source: 'not not fit > 1', shape: '(not (not [fit > 1]))' },
    {
      name: 'parentheses override precedence',
      source: '(fit > 1 or fit > 2) and fit > 3',
      shape: '(and (or [fit > 1] [fit > 2]) [fit > 3])',
    },
    {
      name: 'parentheses group the right side',
      source: 'fit > 1 and (fit > 2 or fit > 3)',
      shape: '(and [fit > 1] (or [fit > 2] [fit > 3]))',
    },
    { name: 'redundant parentheses disappear', source: '((fit > 1))', shape: '[fit > 1]' },
    {
      name: '&&, || and ! mean and, or and not',
      source: '!fit > 1 && fit > 2 || fit > 3',
      shape: '(or (and (not [fit > 1]) [fit > 2]) [fit > 3])',
    },
    {
      name: 'keywords are case-insensitive',
      source: 'NOT fit > 1 AND fit > 2 Or fit > 3',
      shape: '(or (and (not [fit > 1]) [fit > 2]) [fit > 3])',
    },
    {
      name: '`not in` is a negated membership',
      source: "contact.country not in ['RU', 'BY']",
      shape: "(not [contact.country in ['RU', 'BY']])",
    },
    {
      name: '`not contains` is a negated search',
      source: "contact.jobTitle NOT CONTAINS 'intern'",
      shape: "(not [contact.jobTitle contains 'intern'])",
    },
    {
      name: 'the playbook example with a negated group parses as written',
      source: "(fit >= 70 or predicted >= 0.3) and not (contact.country == 'RU')",
      shape: "(and (or [fit >= 70] [predicted >= 0.3]) (not [contact.country == 'RU']))",
    },
  ];
  it.each(cases)('$name', ({ source, shape: expected }) => {
    expect(shape(parseOrThrow(source))).toBe(expected);
  });
});

describe('parseCriteria: operators and operands', () => {
  const cases: Array<{ name: string; source: string; expr: CriteriaExpr }> = [
    ...(['==', '!=', '>', '>=', '<', '<='] as const).map((operator) => ({
      name: `\`${operator}\` compares a variable with a number`,
      source: `engagement ${operator} 40`,
      expr: {
        kind: 'compare',
        operator,
        left: { kind: 'variable', name: 'engagement' },
        right: { kind: 'literal', value: 40 },
      } as const,
    })),
    {
      name: 'a literal may come first',
      source: '50 <= fit',
      expr: {
        kind: 'compare',
        operator: '<=',
        left: { kind: 'literal', value: 50 },
        right: { kind: 'variable', name: 'fit' },
      },
    },
    {
      name: 'variable names are case-insensitive and come back canonical',
      source: 'REMQLCOUNT < 3',
      expr: {
        kind: 'compare',
        operator: '<',
        left: { kind: 'variable', name: 'reMqlCount' },
        right: { kind: 'literal', value: 3 },
      },
    },
    {
      name: '`in` takes a list of values',
      source: 'grade in [\'A\', "b"]',
      expr: { kind: 'in', subject: { kind: 'variable', name: 'grade' }, values: ['A', 'b'] },
    },
    {
      name: '`contains` takes quoted text',
      source: "contact.jobTitle contains 'marketing'",
      expr: { kind: 'contains', subject: { kind: 'path', root: 'contact', segments: ['jobTitle'] }, text: 'marketing' },
    },
    {
      name: 'dotted paths keep every segment and their case; the root is case-insensitive',
      source: 'Company.address.zipCode != null',
      expr: {
        kind: 'compare',
        operator: '!=',
        left: { kind: 'path', root: 'company', segments: ['address', 'zipCode'] },
        right: { kind: 'literal', value: null },
      },
    },
    {
      name: 'count takes a rule id and a window, measured at parse time',
      source: "count('pricing-page', '30d') >= 2",
      expr: {
        kind: 'compare',
        operator: '>=',
        left: { kind: 'count', rule: 'pricing-page', within: '30d', withinMs: 30 * 86_400_000 },
        right: { kind: 'literal', value: 2 },
      },
    },
    {
      name: 'count without a window counts every kept event',
      source: 'COUNT("demo") > 0',
      expr: {
        kind: 'compare',
        operator: '>',
        left: { kind: 'count', rule: 'demo', within: null, withinMs: null },
        right: { kind: 'literal', value: 0 },
      },
    },
    {
      name: 'numbers may be negative, fractional or in exponent form',
      source: 'fit in [-2.5, 1e3, 0.3]',
      expr: { kind: 'in', subject: { kind: 'variable', name: 'fit' }, values: [-2.5, 1000, 0.3] },
    },
    {
      name: 'text may escape its quote and backslash',
      source: "contact.note == 'it\\'s a \\\\ \"quote\"'",
      expr: {
        kind: 'compare',
        operator: '==',
        left: { kind: 'path', root: 'contact', segments: ['note'] },
        right: { kind: 'literal', value: 'it\'s a \\ "quote"' },
      },
    },
    {
      name: 'true, false and null are literals in any case',
      source: 'contact.optedIn in [TRUE, false, Null]',
      expr: {
        kind: 'in',
        subject: { kind: 'path', root: 'contact', segments: ['optedIn'] },
        values: [true, false, null],
      },
    },
  ];
  it.each(cases)('$name', ({ source, expr }) => {
    expect(parseOrThrow(source)).toEqual(expr);
  });
});

describe('parseCriteria: refusals point at the column to fix', () => {
  const known =
    "fit, engagement, score, grade, temperature, predicted, stage, reMqlCount, contact.<property>, company.<property>, count('<rule>', '<duration>')";
  const cases = [
    {
      name: 'an empty expression',
      source: '',
      column: 1,
      message: 'expected a condition (e.g. `fit >= 50`) at column 1, got end of expression',
    },
    {
      name: 'a comparison without its value',
      source: 'fit >= 50 and engagement >=',
      column: 28,
      message: 'expected a value after `>=` at column 28, got end of expression',
    },
    {
      name: 'a dangling and',
      source: 'fit >= 50 and',
      column: 14,
      message: 'expected a condition (e.g. `fit >= 50`) after `and` at column 14, got end of expression',
    },
    {
      name: 'two conditions without and/or',
      source: 'fit >= 50 engagement >= 40',
      column: 11,
      message: 'expected `and`, `or` or the end after the condition at column 11, got `engagement`',
    },
    {
      name: 'an unclosed parenthesis',
      source: '(fit >= 50',
      column: 11,
      message: 'expected `)` after `50` at column 11, got end of expression (to close the `(` at column 1)',
    },
    {
      name: 'a stray closing parenthesis',
      source: 'fit >= 50)',
      column: 10,
      message: 'expected `and`, `or` or the end after the condition at column 10, got `)`',
    },
    {
      name: 'a misspelt variable lists the known names',
      source: 'fit >= 50 and engagment >= 40',
      column: 15,
      message: `unknown name \`engagment\` at column 15; use one of ${known}`,
    },
    {
      name: 'an unknown path root',
      source: 'lead.score > 1',
      column: 1,
      message: `unknown name \`lead.score\` at column 1; use one of ${known}`,
    },
    {
      name: 'contact without a property',
      source: 'contact == 1',
      column: 1,
      message: '`contact` needs a property at column 1, e.g. `contact.jobTitle`',
    },
    {
      name: 'a single equals sign',
      source: "contact.country = 'RU'",
      column: 17,
      message: 'use `==` to compare, got `=` at column 17',
    },
    {
      name: 'a single ampersand',
      source: 'fit > 1 & fit < 9',
      column: 9,
      message: 'use `and` (or `&&`) to combine conditions, got `&` at column 9',
    },
    {
      name: 'unterminated text',
      source: "contact.name == 'bob",
      column: 17,
      message: "unterminated text starting at column 17: add a closing `'`",
    },
    { name: 'a stray character', source: 'fit # 2', column: 5, message: 'unexpected character `#` at column 5' },
    {
      name: 'a path ending in a dot',
      source: 'contact. == 1',
      column: 9,
      message: 'expected a property name after `contact.` at column 9',
    },
    {
      name: 'a grade that does not exist',
      source: "grade == 'E'",
      column: 10,
      message: "`grade` is one of 'A', 'B', 'C', 'D', got 'E' at column 10",
    },
    {
      name: 'a temperature that does not exist, inside a list',
      source: "temperature in ['hot', 'boiling']",
      column: 24,
      message: "`temperature` is one of 'cold', 'warm', 'hot', got 'boiling' at column 24",
    },
    {
      name: 'text compared with a score',
      source: "fit >= 'high'",
      column: 8,
      message: "`fit` is a number, got 'high' at column 8; write a number, e.g. 50",
    },
    {
      name: 'a quoted number compared with a score',
      source: "fit >= '50'",
      column: 8,
      message: "`fit` is a number, got '50' at column 8; write 50 without quotes",
    },
    {
      name: 'an ordering on stages',
      source: "stage > 'mql'",
      column: 7,
      message: '`stage` can only be compared with `==`, `!=` or `in`, got `>` at column 7',
    },
    {
      name: 'an ordering against null',
      source: 'predicted >= null',
      column: 11,
      message: '`>=` cannot compare with `null` at column 11; use `== null` or `!= null`',
    },
    {
      name: 'an ordering against text on a property',
      source: "contact.name > 'M'",
      column: 16,
      message: "`>` compares numbers, got 'M' at column 16",
    },
    {
      name: 'a grade compared with a number variable',
      source: 'grade >= fit',
      column: 7,
      message: 'cannot compare `grade` (a grade) with `fit` (a number) at column 7',
    },
    {
      name: 'a bare value without a comparison',
      source: 'contact.optedIn',
      column: 16,
      message:
        'expected a comparison (==, !=, >, >=, <, <=, in or contains) after `contact.optedIn` at column 16, got end of expression',
    },
    {
      name: 'an empty list',
      source: 'grade in []',
      column: 11,
      message: 'expected at least one value in the list after `[` at column 11, got `]`',
    },
    {
      name: 'a list missing a comma',
      source: "grade in ['A' 'B']",
      column: 15,
      message:
        "expected `,` or `]` after `'A'` at column 15, got `'B'` (to continue or close the list opened at column 10)",
    },
    {
      name: 'a variable inside a list',
      source: 'fit in [1, score]',
      column: 12,
      message: 'expected a fixed value in the list at column 12, got `score`',
    },
    {
      name: 'contains on a score',
      source: "fit contains '5'",
      column: 1,
      message:
        "`contains` searches contact and company properties (e.g. `contact.jobTitle contains 'marketing'`), got `fit` at column 1",
    },
    {
      name: 'contains with an unquoted value',
      source: 'contact.phone contains 555',
      column: 24,
      message: "expected quoted text (e.g. `'marketing'`) after `contains` at column 24, got `555`",
    },
    {
      name: 'count with an unquoted rule id',
      source: 'count(pricing) >= 1',
      column: 7,
      message: "expected an engagement rule id in quotes (e.g. `'pricing-page'`) after `(` at column 7, got `pricing`",
    },
    {
      name: 'count with an invalid window',
      source: "count('pricing-page', '30 days') >= 2",
      column: 23,
      message: 'the window of `count` at column 23 must be a duration like 30m, 12h, 14d or 2w, got `30 days`',
    },
    {
      name: 'count left unclosed',
      source: "count('x' >= 1",
      column: 11,
      message: "expected `)` after `'x'` at column 11, got `>=` (to close `count(`)",
    },
  ];
  it.each(cases)('$name', ({ source, column, message }) => {
    expect(parseCriteria(source)).toEqual({ ok: false, error: { kind: 'criteria-syntax', column, message } });
  });
});

describe('listReferencedRules', () => {
  it('lists each counted rule once, in order of appearance, wherever it sits', () => {
    const expr = parseOrThrow(
      "count('demo') > 0 or not (count('pricing-page', '30d') >= 2 and 1 <= count('demo', '7d')) or fit > 50",
    );
    expect(listReferencedRules(expr)).toEqual(['demo', 'pricing-page']);
  });

  it('is empty when nothing is counted', () => {
    expect(listReferencedRules(parseOrThrow('fit >= 50 and engagement >= 40'))).toEqual([]);
  });
});
