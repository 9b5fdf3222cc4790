import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlaybook } from '../../../src/core/playbook/parse-playbook.ts';
import { companyFitGroups, scoreCompanyFit } from '../../../src/core/scoring/company-fit.ts';
import { scoreFit } from '../../../src/core/scoring/score-fit.ts';

const parsed = parsePlaybook(readFileSync(new URL('../../../playbooks/default.yaml', import.meta.url), 'utf8'));
if (!parsed.ok) throw new Error('the default playbook must parse');
const playbook = parsed.value;
const NOW = Date.parse('2026-06-01T00:00:00Z');

describe('a company’s own fit', () => {
  it('counts the default playbook’s groups that read only the company, not the person', () => {
    const groups = companyFitGroups(playbook);
    expect(groups).toEqual(expect.arrayContaining(['company-size', 'industry', 'maturity']));
    expect(groups).not.toContain('role');
  });

  it('explains itself line by line, summing to its points, and equals that part of any contact’s fit', () => {
    const company = { employees: 354, industry: 'marketing agency', foundedYear: 2001, annualRevenue: 20_000_000 };
    const own = scoreCompanyFit(playbook, company, NOW);
    expect(own.centi).toBe(own.lines.reduce((sum, line) => sum + line.centi, 0));
    expect(own.centi).toBeGreaterThan(0);
    const contactFit = scoreFit(playbook, { contact: { jobTitle: 'CMO', seniority: 'executive' }, company }, NOW);
    const companyPart = contactFit.lines
      .filter((line) => line.kind !== 'clamp' && own.groups.includes(line.group))
      .reduce((sum, line) => sum + line.centi, 0);
    expect(companyPart).toBe(own.centi);
  });

  it('gives an unknown company nothing', () => {
    expect(scoreCompanyFit(playbook, {}, NOW).centi).toBe(0);
  });
});
