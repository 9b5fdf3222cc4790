import { describe, expect, it } from 'vitest';
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
    const result = scoreFit(testPlaybook, { contact, company });
    expect(result.centi).toBe(centi);
    expect(result.grade).toBe(grade);
    expect(result.lines.flatMap((line) => (line.kind === 'rule' ? [line.rule] : []))).toEqual(rules);
    expect(sum(result.lines)).toBe(result.centi);
  });
});
