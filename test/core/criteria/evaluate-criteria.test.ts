import { describe, expect, it } from 'vitest';
import { type CriteriaContext, evaluateCriteria } from '../../../src/core/criteria/evaluate-criteria.ts';
import { parseCriteria } from '../../../src/core/criteria/parse-criteria.ts';
import { DAY } from '../../helpers/time.ts';

/** Pricing-page visits 1, 10 and 40 days ago; one demo request with no window. */
const EVENT_AGES: Record<string, number[]> = { 'pricing-page': [1 * DAY, 10 * DAY, 40 * DAY], demo: [3 * DAY] };

const baseContext: CriteriaContext = {
  fit: 62,
  engagement: 41.5,
  score: 55,
  grade: 'B',
  temperature: 'warm',
  predicted: 0.25,
  stage: 'lead',
  reMqlCount: 1,
  contact: {
    jobTitle: 'Senior Marketing Manager',
    country: 'de',
    optedIn: true,
    tags: ['Webinar', 'ebook'],
    seats: '12',
    address: { city: 'Berlin' },
  },
  company: { employees: 250, industry: 'Software', revenue: '' },
  countRule: (ruleId, withinMs) =>
    (EVENT_AGES[ruleId] ?? []).filter((age) => withinMs === null || age <= withinMs).length,
};

function holds(source: string, overrides: Partial<CriteriaContext> = {}): boolean {
  const parsed = parseCriteria(source);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return evaluateCriteria(parsed.value, { ...baseContext, ...overrides });
}

describe('evaluateCriteria', () => {
  const cases: Array<{ name: string; source: string; context?: Partial<CriteriaContext>; expected: boolean }> = [
    // combinators
    { name: 'and needs both sides', source: 'fit >= 50 and engagement >= 40', expected: true },
    { name: 'and fails when one side fails', source: 'fit >= 50 and engagement >= 42', expected: false },
    { name: 'or needs one side', source: 'fit >= 90 or engagement >= 40', expected: true },
    { name: 'or fails when both sides fail', source: 'fit >= 90 or engagement >= 90', expected: false },
    { name: 'not inverts', source: 'not fit >= 90', expected: true },
    {
      name: 'the playbook example with a negated group holds for a German contact',
      source: "(fit >= 70 or predicted >= 0.2) and not (contact.country == 'RU')",
      expected: true,
    },
    // numeric comparisons, boundaries pinned on both sides
    { name: '>= holds at the boundary', source: 'fit >= 62', expected: true },
    { name: '> fails at the boundary', source: 'fit > 62', expected: false },
    { name: '<= holds at the boundary', source: 'engagement <= 41.5', expected: true },
    { name: '< fails at the boundary', source: 'engagement < 41.5', expected: false },
    { name: '== compares numbers exactly', source: 'score == 55', expected: true },
    { name: '!= compares numbers exactly', source: 'score != 55.01', expected: true },
    { name: 'numbers stored as text compare numerically', source: 'contact.seats > 9', expected: true },
    { name: 'numbers stored as text are equal to numbers', source: 'contact.seats == 12.0', expected: true },
    { name: 'reMqlCount is a number', source: 'reMqlCount < 2', expected: true },
    // text
    { name: 'text equality ignores case', source: "contact.country == 'DE'", expected: true },
    { name: 'text inequality ignores case', source: "contact.country != 'De'", expected: false },
    {
      name: 'contains is a case-insensitive substring search',
      source: "contact.jobTitle contains 'MARKETING'",
      expected: true,
    },
    { name: 'contains fails when the text is absent', source: "contact.jobTitle contains 'sales'", expected: false },
    { name: 'contains searches each item of a list', source: "contact.tags contains 'webin'", expected: true },
    { name: 'nested paths are followed', source: "contact.address.city == 'berlin'", expected: true },
    { name: 'booleans equal their literal', source: 'contact.optedIn == true', expected: true },
    {
      name: 'booleans stored as text equal their literal',
      source: 'contact.optedIn == true',
      context: { contact: { optedIn: 'TRUE' } },
      expected: true,
    },
    // in
    { name: 'in holds when one value matches, ignoring case', source: "grade in ['a', 'B']", expected: true },
    { name: 'in fails when no value matches', source: "temperature in ['hot', 'cold']", expected: false },
    { name: 'in compares numbers numerically', source: 'company.employees in [100, 250]', expected: true },
    { name: 'not in holds when no value matches', source: "contact.country not in ['RU', 'BY']", expected: true },
    // ordered grades and temperatures
    { name: "grade >= 'B' holds for a B", source: "grade >= 'B'", expected: true },
    { name: "grade >= 'B' holds for an A", source: "grade >= 'b'", context: { grade: 'A' }, expected: true },
    { name: "grade >= 'B' fails for a C", source: "grade >= 'B'", context: { grade: 'C' }, expected: false },
    { name: "grade > 'B' fails for a B", source: "grade > 'B'", expected: false },
    { name: 'a grade literal may come first', source: "'A' > grade", expected: true },
    {
      name: "temperature >= 'warm' holds for hot",
      source: "temperature >= 'warm'",
      context: { temperature: 'hot' },
      expected: true,
    },
    {
      name: "temperature >= 'warm' fails for cold",
      source: "temperature >= 'warm'",
      context: { temperature: 'cold' },
      expected: false,
    },
    { name: 'stage equality ignores case', source: "stage == 'LEAD'", expected: true },
    // counts
    {
      name: 'count within a window only sees recent events',
      source: "count('pricing-page', '30d') == 2",
      expected: true,
    },
    { name: 'count without a window sees every kept event', source: "count('pricing-page') == 3", expected: true },
    { name: 'count of an unseen rule is zero', source: "count('webinar', '7d') == 0", expected: true },
    // missing values never satisfy a comparison
    { name: 'a missing property is not >= anything', source: 'company.funding >= 0', expected: false },
    { name: 'a missing property is not < anything', source: 'company.funding < 1000000', expected: false },
    { name: 'a missing property is != a number (it equals nothing)', source: 'company.funding != 5', expected: true },
    { name: 'a missing property is != a text too', source: "contact.city != 'Paris'", expected: true },
    { name: 'not (==) is the way to keep unknowns', source: "not (contact.city == 'Paris')", expected: true },
    { name: 'a missing property is in no list', source: "contact.city in ['Paris']", expected: false },
    { name: 'a missing property contains nothing', source: "contact.city contains ''", expected: false },
    {
      name: 'no company means every company property is missing',
      source: 'company.employees >= 1',
      context: { company: null },
      expected: false,
    },
    { name: 'a path through a non-object is missing', source: 'contact.jobTitle.length > 1', expected: false },
    {
      name: 'a missing prediction fails a numeric comparison',
      source: 'predicted >= 0',
      context: { predicted: null },
      expected: false,
    },
    {
      name: 'a missing prediction is == null',
      source: 'predicted == null',
      context: { predicted: null },
      expected: true,
    },
    { name: 'a present prediction is != null', source: 'predicted != null', expected: true },
    { name: 'a missing property is == null', source: 'contact.city == null', expected: true },
    { name: 'a null list item matches a missing property', source: "contact.city in ['Paris', null]", expected: true },
    { name: 'empty text is not a number', source: 'company.revenue >= 0', expected: false },
    { name: 'a list is not equal to text', source: "contact.tags == 'ebook'", expected: false },
    { name: 'an object is not a number', source: 'contact.address > 0', expected: false },
  ];
  it.each(cases)('$name', ({ source, context, expected }) => {
    expect(holds(source, context)).toBe(expected);
  });

  it('never throws on odd-typed data', () => {
    const odd: Partial<CriteriaContext> = {
      contact: {
        jobTitle: { nested: [1, 2] },
        country: Number.NaN,
        seats: Symbol.for('x'),
        tags: [null, undefined, {}],
      },
      company: { employees: Number.POSITIVE_INFINITY, industry: ['Software'] },
      fit: Number.NaN,
    };
    const sources = [
      "contact.jobTitle contains 'x'",
      "contact.country == 'NaN'",
      'contact.seats > 1',
      "contact.tags contains 'a'",
      'company.employees >= 1',
      "company.industry == 'software'",
      'fit >= 0',
    ];
    for (const source of sources) expect(holds(source, odd)).toBe(false);
  });
});
