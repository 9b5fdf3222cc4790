import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlaybook } from '../../../src/core/playbook/parse-playbook.ts';
import { scoreFit } from '../../../src/core/scoring/score-fit.ts';
import { testPlaybook } from '../../fixtures/test-playbook.ts';

const sum = (lines: Array<{ centi: number }>) => lines.reduce((total, line) => total + line.centi, 0);

describe('scoreFit', () => {
  const cases: Array<{
    name: string;
    contact: Record<string, unknown>;
    company: Record<string, unknown> | null;
    centi: number;
    grade: string;
    rules: string[];
  }> = [
    {
      name: 'a VP at a mid-size software company is an A',
      contact: { jobTitle: 'VP Marketing', email: 'a@acme.io' },
      company: { employees: 800, industry: 'Software' },
      centi: 7000,
      grade: 'A',
      rules: ['vp', 'mid', 'software'],
    },
    {
      name: 'the company group is capped at 40',
      contact: { jobTitle: 'Analyst' },
      company: { employees: 200, industry: 'saas' },
      centi: 4000,
      grade: 'C',
      rules: ['mid', 'software'],
    },
    {
      name: 'only the first matching role rule counts',
      contact: { jobTitle: 'Student manager' },
      company: null,
      centi: 0,
      grade: 'D',
      rules: ['student'],
    },
    {
      name: 'a personal email subtracts fractional points and clamps at zero',
      contact: { email: 'x@Gmail.com', jobTitle: 'Manager' },
      company: null,
      centi: 0,
      grade: 'D',
      rules: ['manager', 'free-mail'],
    },
    {
      name: 'the total is clamped at 100',
      contact: { jobTitle: 'Head of Growth', phone: '+1 555' },
      company: { employees: 300 },
      centi: 10000,
      grade: 'A',
      rules: ['vp', 'mid', 'phone'],
    },
    {
      name: 'range bounds are inclusive and numbers-as-text count',
      contact: {},
      company: { employees: '5000' },
      centi: 3000,
      grade: 'C',
      rules: ['mid'],
    },
    {
      name: 'just above the range does not match',
      contact: {},
      company: { employees: 5001 },
      centi: 0,
      grade: 'D',
      rules: [],
    },
    { name: 'an empty phone does not exist', contact: { phone: '  ' }, company: null, centi: 0, grade: 'D', rules: [] },
  ];
  it.each(cases)('$name', ({ contact, company, centi, grade, rules }) => {
    const result = scoreFit(testPlaybook, { contact, company }, Date.UTC(2026, 4, 4));
    expect(result.centi).toBe(centi);
    expect(result.grade).toBe(grade);
    expect(result.lines.flatMap((line) => (line.kind === 'rule' ? [line.rule] : []))).toEqual(rules);
    expect(sum(result.lines)).toBe(result.centi);
  });
});

describe('company maturity in the default playbook', () => {
  const parsed = parsePlaybook(readFileSync(new URL('../../../playbooks/default.yaml', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error('the default playbook must parse');
  const playbook = parsed.value;
  const maturity = (company: Record<string, unknown>, now: number) =>
    scoreFit(playbook, { contact: {}, company }, now).lines.flatMap((line) =>
      line.kind === 'rule' && line.group === 'maturity' ? [line.rule] : [],
    );
  const NOW = Date.UTC(2026, 11, 3);

  it.each([
    { name: 'a company founded 3 years ago is established', company: { foundedYear: 2023 }, rules: ['established'] },
    { name: 'one founded this year is not', company: { foundedYear: 2026 }, rules: [] },
    { name: 'share capital of 50,000 scores', company: { shareCapital: 50000 }, rules: ['share-capital'] },
    { name: 'share capital under 50,000 does not', company: { shareCapital: 49999 }, rules: [] },
    { name: 'a VAT number scores', company: { vatNumber: 'DE123456789' }, rules: ['vat-registered'] },
    { name: 'so does a VAT registration flag', company: { vatRegistered: true }, rules: ['vat-registered'] },
    {
      name: 'all of them are capped at 10',
      company: { foundedYear: 1990, annualRevenue: 2e7, shareCapital: 1e6, vatNumber: 'FR1' },
      rules: ['established', 'revenue', 'share-capital', 'vat-registered'],
    },
  ])('$name', ({ company, rules }) => {
    expect(maturity(company, NOW)).toEqual(rules);
  });

  it('ages with the calendar: a company founded in 2025 becomes established in 2028', () => {
    expect(maturity({ foundedYear: 2025 }, Date.UTC(2027, 11, 31))).toEqual([]);
    expect(maturity({ foundedYear: 2025 }, Date.UTC(2028, 0, 2))).toEqual(['established']);
  });

  it('caps the maturity group at 10 points', () => {
    const result = scoreFit(
      playbook,
      { contact: {}, company: { foundedYear: 1990, annualRevenue: 2e7, shareCapital: 1e6, vatNumber: 'FR1' } },
      NOW,
    );
    expect(sum(result.lines.filter((line) => 'group' in line && line.group === 'maturity'))).toBe(1000);
  });
});
