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
