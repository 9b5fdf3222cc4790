import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlaybook } from '../../../src/core/playbook/parse-playbook.ts';

const defaultSource = readFileSync(new URL('../../../playbooks/default.yaml', import.meta.url), 'utf8');

function issuesOf(source: string) {
  const parsed = parsePlaybook(source);
  if (parsed.ok) throw new Error('expected the playbook to be invalid');
  return parsed.error;
}

/** Replaces one exact snippet of the default playbook, failing loudly if it is not there. */
function edit(from: string, to: string): string {
  if (!defaultSource.includes(from)) throw new Error(`snippet not in default playbook: ${from}`);
  return defaultSource.replace(from, to);
}

const lineOf = (snippet: string) => defaultSource.split('\n').findIndex((line) => line.includes(snippet)) + 1;

describe('parsePlaybook', () => {
  it('accepts the bundled default playbook', () => {
    const parsed = parsePlaybook(defaultSource);
    expect(parsed.ok).toBe(true);
  });

  const cases: Array<{ name: string; source: string; line: number; field: string; text: string }> = [
    {
      name: 'a half-life that is not a duration names the line, field, expectation and value',
      source: edit('halfLife: 14d', 'halfLife: fortnight'),
      line: lineOf('halfLife: 14d'),
      field: 'engagement.groups[0].rules[3].halfLife',
      text: 'must be a duration like 30m, 12h, 14d or 2w, got "fortnight"',
    },
    {
      name: 'an unknown field lists the allowed ones',
      source: edit('        - id: student\n', '        - id: student\n          colour: red\n'),
      line: lineOf('- id: student') + 1,
      field: 'fit.groups[0].rules[0].colour',
      text: 'allowed here: id, label, when, points',
    },
    {
      name: 'an unknown condition operator says what a condition looks like',
      source: edit('op: freeEmail', 'op: isFree'),
      line: lineOf('op: freeEmail'),
      field: 'fit.groups[5].rules[0].when',
      text: 'a condition: {op: equals|notEquals',
    },
    {
      name: 'a duplicate rule id is refused',
      source: edit('- id: blog-read', '- id: content-download'),
      line: lineOf('- id: blog-read'),
      field: 'engagement.groups[2].rules[3].id',
      text: 'engagement rule id `content-download` is used twice',
    },
    {
      name: 'grade bands out of order are refused',
      source: edit('grades: { A: 70, B: 50, C: 30 }', 'grades: { A: 70, B: 80, C: 30 }'),
      line: lineOf('grades:'),
      field: 'fit.grades.B',
      text: 'grade band `B` (80) must be lower than `A` (70)',
    },
    {
      name: 'a criteria syntax error points into the expression',
      source: edit('when: fit >= 50 and engagement >= 50', 'when: fit >= and engagement >= 40'),
      line: lineOf('when: fit >= 50 and engagement >= 50'),
      field: 'mql.criteria[0].when',
      text: 'MQL criterion `good-fit-engaged`:',
    },
    {
      name: 'criteria counting an unknown rule are refused',
      source: edit("count('pricing-page', '30d')", "count('pricing-pages', '30d')"),
      line: lineOf("count('pricing-page'"),
      field: 'mql.criteria[1].when',
      text: 'counts rule `pricing-pages`, which is not an engagement rule',
    },
    {
      name: 'an invalid regular expression is refused',
      source: edit('pattern: "^/(product|features|customers|integrations)"', 'pattern: "^/(product"'),
      line: lineOf('pattern: "^/(product'),
      field: 'engagement.groups[1].rules[0].match.where[0].pattern',
      text: 'not a valid regular expression',
    },
    {
      name: 'an age without bounds says what it needs',
      source: edit('{ op: age, field: company.foundedYear, minYears: 3 }', '{ op: age, field: company.foundedYear }'),
      line: lineOf('op: age'),
      field: 'fit.groups[4].rules[0].when',
      text: 'an `age` needs `minYears`, `maxYears` or both',
    },
    {
      name: 'an age with its bounds crossed is refused',
      source: edit('minYears: 3 }', 'minYears: 8, maxYears: 2 }'),
      line: lineOf('op: age'),
      field: 'fit.groups[4].rules[0].when.minYears',
      text: 'age `minYears` 8 is greater than `maxYears` 2',
    },
    {
      name: 'a company rule reading a contact field is refused: the company score is the same for everyone there',
      source: edit(
        'when: { op: exists, field: company.vatNumber }\n          points: 5\n        - id: public-funding',
        'when: { op: exists, field: contact.phone }\n          points: 5\n        - id: public-funding',
      ),
      line: lineOf('- id: public-funding') - 2,
      field: 'company.groups[0].rules[4].when',
      text: 'company rule `vat-registered` reads `contact.phone`',
    },
    {
      name: 'a missing required section is named',
      source: edit('mql:\n  criteria:', 'mqls:\n  criteria:'),
      line: lineOf('name: Default'),
      field: 'mql',
      text: '`mql` is required',
    },
  ];
  it.each(cases)('$name', ({ source, line, field, text }) => {
    const issues = issuesOf(source);
    const issue = issues.find((candidate) => candidate.field === field);
    expect(issue, JSON.stringify(issues, null, 1)).toBeDefined();
    expect(issue?.line).toBe(line);
    expect(issue?.message).toContain(text);
    expect(issue?.message.startsWith(`playbook line ${line}:`)).toBe(true);
  });

  it.each([
    ['name: x\nfit: [\n', 'playbook line 3, column 1: invalid YAML: a `[` is not closed with `]`'],
    ['name: x\nfit: { grades: 1\n', 'playbook line 3, column 1: invalid YAML: a `{` is not closed with `}`'],
    ['name: x\nname: y\n', 'playbook line 2, column 1: invalid YAML: a key appears twice in the same mapping'],
    ['name: "x\n', 'playbook line 2, column 1: invalid YAML: missing closing "quote'],
  ])('reports broken YAML as one sentence with line and column: %j', (source, message) => {
    const issues = issuesOf(source);
    expect(issues[0]?.message.startsWith(message), issues[0]?.message).toBe(true);
    expect(issues[0]?.message).not.toContain('\n');
  });

  it.each([
    [
      'cap: 35',
      'cap: thirty-five',
      'fit.groups[0].cap',
      'must be a number (most points the group can add), got "thirty-five"',
    ],
    ['minFit: 30', 'minFit: [30]', 'handRaisers.minFit', 'must be a number'],
    ['name: Default B2B playbook', 'name: [a, b]', 'name', 'must be text'],
  ])('says which type a field expected: %s → %s', (from, to, field, text) => {
    const issue = issuesOf(edit(from, to)).find((candidate) => candidate.field === field);
    expect(issue?.message).toContain(text);
  });
});
