import { describe, expect, it } from 'vitest';
import { parseCriteria } from '../../../src/core/criteria/parse-criteria.ts';

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
