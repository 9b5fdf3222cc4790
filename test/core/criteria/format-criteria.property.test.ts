import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CriteriaContext, evaluateCriteria } from '../../../src/core/criteria/evaluate-criteria.ts';
import { formatCriteria } from '../../../src/core/criteria/format-criteria.ts';
import {
  type CompareOperator,
  type CriteriaExpr,
  type CriteriaOperand,
  type LiteralValue,
  parseCriteria,
} from '../../../src/core/criteria/parse-criteria.ts';
import { durationMs } from '../../../src/core/duration.ts';
import { STAGES } from '../../../src/core/lifecycle/stages.ts';
import { GRADES, TEMPERATURES } from '../../../src/core/scoring/grades.ts';

const OPERATORS: CompareOperator[] = ['==', '!=', '>', '>=', '<', '<='];
const PROPERTIES = ['country', 'seats', 'jobTitle', 'tags', 'optedIn', 'address.city', 'missing'];
const RULES = ['pricing-page', 'demo', 'webinar'];

const anyCase = (text: string) => fc.boolean().map((upper) => (upper ? text.toUpperCase() : text.toLowerCase()));
const numberValue = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer({ min: -100_000, max: 100_000 }).map((n) => n / 100),
);
const textValue = fc.oneof(
  fc.constantFrom('de', 'RU', 'Marketing', "it's", 'back\\slash', '"quoted"', ''),
  fc.string({ maxLength: 6 }),
);
const literalValue: fc.Arbitrary<LiteralValue> = fc.oneof(numberValue, textValue, fc.boolean(), fc.constant(null));

const literal = (value: fc.Arbitrary<LiteralValue>): fc.Arbitrary<CriteriaOperand> =>
  value.map((v) => ({ kind: 'literal', value: v }));
const path: fc.Arbitrary<CriteriaOperand> = fc
  .record({ root: fc.constantFrom('contact' as const, 'company' as const), property: fc.constantFrom(...PROPERTIES) })
  .map(({ root, property }) => ({ kind: 'path', root, segments: property.split('.') }));
const count: fc.Arbitrary<CriteriaOperand> = fc
  .record({ rule: fc.constantFrom(...RULES), within: fc.constantFrom(null, '30d', '12h', '2w', '90m') })
  .map(({ rule, within }) => ({ kind: 'count', rule, within, withinMs: within === null ? null : durationMs(within) }));
const numericVariable: fc.Arbitrary<CriteriaOperand> = fc
  .constantFrom('fit' as const, 'engagement' as const, 'score' as const, 'predicted' as const, 'reMqlCount' as const)
  .map((name) => ({ kind: 'variable', name }));
const variable = (name: 'grade' | 'temperature' | 'stage'): fc.Arbitrary<CriteriaOperand> =>
  fc.constant({ kind: 'variable', name });

/** A comparison, either way round. */
const compare = (
  subject: fc.Arbitrary<CriteriaOperand>,
  operators: CompareOperator[],
  value: fc.Arbitrary<CriteriaOperand>,
) =>
  fc.tuple(subject, fc.constantFrom(...operators), value, fc.boolean()).map(
    ([left, operator, right, swap]): CriteriaExpr => ({
      kind: 'compare',
      operator,
      left: swap ? right : left,
      right: swap ? left : right,
    }),
  );
const within = (subject: fc.Arbitrary<CriteriaOperand>, value: fc.Arbitrary<LiteralValue>) =>
  fc
    .tuple(subject, fc.array(value, { minLength: 1, maxLength: 4 }))
    .map(([s, values]): CriteriaExpr => ({ kind: 'in', subject: s, values }));

const predicate: fc.Arbitrary<CriteriaExpr> = fc.oneof(
  compare(fc.oneof(numericVariable, count, path), OPERATORS, literal(numberValue)),
  compare(variable('grade'), OPERATORS, literal(fc.constantFrom(...GRADES).chain(anyCase))),
  compare(variable('temperature'), OPERATORS, literal(fc.constantFrom(...TEMPERATURES).chain(anyCase))),
  compare(variable('stage'), ['==', '!='], literal(fc.constantFrom(...STAGES))),
  compare(path, ['==', '!='], literal(literalValue)),
  compare(fc.oneof(numericVariable, path), ['==', '!='], literal(fc.constant(null))),
  compare(path, OPERATORS, fc.oneof(path, numericVariable)),
  within(variable('grade'), fc.constantFrom(...GRADES)),
  within(numericVariable, fc.oneof(numberValue, fc.constant(null))),
  within(path, literalValue),
  fc.tuple(path, textValue).map(([subject, text]): CriteriaExpr => ({ kind: 'contains', subject, text })),
);

const { expr } = fc.letrec<{ expr: CriteriaExpr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    predicate,
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('expr'), right: tie('expr') }),
    tie('expr').map((operand): CriteriaExpr => ({ kind: 'not', operand })),
  ),
}));

const propertyValue = fc.oneof(
  textValue,
  numberValue,
  fc.boolean(),
  fc.constant(null),
  fc.array(textValue, { maxLength: 3 }),
);
const subject = fc.record(
  {
    country: propertyValue,
    seats: propertyValue,
    jobTitle: propertyValue,
    tags: propertyValue,
    optedIn: propertyValue,
    address: fc.record({ city: propertyValue }),
  },
  { requiredKeys: [] },
);
const context: fc.Arbitrary<CriteriaContext> = fc
  .record({
    fit: numberValue,
    engagement: numberValue,
    score: numberValue,
    grade: fc.constantFrom(...GRADES),
    temperature: fc.constantFrom(...TEMPERATURES),
    predicted: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    stage: fc.constantFrom(...STAGES),
    reMqlCount: fc.nat(5),
    contact: subject,
    company: fc.option(subject),
    counts: fc.array(fc.nat(4), { minLength: RULES.length * 2, maxLength: RULES.length * 2 }),
  })
  .map(({ counts, ...rest }) => ({
    ...rest,
    countRule: (ruleId: string, windowMs: number | null) =>
      counts[RULES.indexOf(ruleId) * 2 + (windowMs === null ? 0 : 1)] ?? 0,
  }));

describe('formatCriteria and parseCriteria', () => {
  it('a printed expression parses back to the same tree, which evaluates the same', () => {
    fc.assert(
      fc.property(expr, fc.array(context, { minLength: 1, maxLength: 4 }), (original, contexts) => {
        const text = formatCriteria(original);
        const parsed = parseCriteria(text);
        if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
        expect(parsed.value).toEqual(original);
        expect(formatCriteria(parsed.value)).toBe(text);
        for (const ctx of contexts) expect(evaluateCriteria(parsed.value, ctx)).toBe(evaluateCriteria(original, ctx));
      }),
      { numRuns: 500 },
    );
  });

  it('any input parses or is refused with a column inside it, and never throws', () => {
    const alphabet = fc.constantFrom(
      ...'fit >= 50 and or not ( ) [ ] , \' " count contact.x grade in contains ! & | = - 1.5e3'.split(/(?= )/),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.array(alphabet, { maxLength: 12 }).map((parts) => parts.join('')),
        ),
        (source) => {
          const parsed = parseCriteria(source);
          if (!parsed.ok) {
            expect(parsed.error.column).toBeGreaterThanOrEqual(1);
            expect(parsed.error.column).toBeLessThanOrEqual(source.length + 1);
            expect(parsed.error.message).toMatch(/column \d+/);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
