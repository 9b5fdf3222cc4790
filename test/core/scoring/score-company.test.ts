import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompanySection } from '../../../src/core/playbook/playbook-schema.ts';
import { scoreCompany } from '../../../src/core/scoring/score-company.ts';

const NOW = Date.UTC(2026, 11, 4);

const section: CompanySection = {
  groups: [
    {
      id: 'maturity',
      cap: 30,
      rules: [
        { id: 'old', when: { op: 'age', field: 'company.foundedYear', minYears: 5 }, points: 20 },
        { id: 'vat', when: { op: 'exists', field: 'company.vatNumber' }, points: 15 },
      ],
    },
    {
      id: 'technology',
      rules: [
        { id: 'crm', when: { op: 'contains', field: 'company.technologies', value: 'salesforce' }, points: 40 },
        { id: 'shady', when: { op: 'equals', field: 'company.country', value: 'XX' }, points: -60 },
      ],
    },
  ],
  engagement: { weight: 0.5, cap: 25, engagedAt: 30 },
};

const sum = (lines: Array<{ centi: number }>) => lines.reduce((total, line) => total + line.centi, 0);

describe('the company score', () => {
  it('adds its rules with group caps, the rolled-up engagement with its cap, and stays within 0–100', () => {
    const company = { foundedYear: 2001, vatNumber: 'DE1', technologies: 'Salesforce, Stripe' };
    const score = scoreCompany(section, company, { engagementCenti: 8000, engagedContacts: 2, contacts: 3 }, NOW);
    expect(score.lines.map((line) => [line.kind, line.centi])).toEqual([
      ['rule', 2000],
      ['rule', 1500],
      ['group-cap', -500],
      ['rule', 4000],
      ['engagement', 4000],
      ['engagement-cap', -1500],
    ]);
    expect(score.centi).toBe(9500);
  });

  it('counts nothing for engagement when nobody engaged, and never goes below zero', () => {
    const score = scoreCompany(
      section,
      { country: 'XX' },
      { engagementCenti: 0, engagedContacts: 0, contacts: 0 },
      NOW,
    );
    expect(score.centi).toBe(0);
    expect(score.lines.map((line) => line.kind)).toEqual(['rule', 'clamp']);
  });

  it('always equals the sum of its lines, within 0–100', () => {
    fc.assert(
      fc.property(
        fc.record({
          foundedYear: fc.option(fc.integer({ min: 1900, max: 2026 }), { nil: undefined }),
          vatNumber: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
          technologies: fc.option(fc.constantFrom('salesforce', 'hubspot', ''), { nil: undefined }),
          country: fc.option(fc.constantFrom('XX', 'NO'), { nil: undefined }),
        }),
        fc.integer({ min: -20_000, max: 200_000 }),
        (company, engagementCenti) => {
          const score = scoreCompany(section, company, { engagementCenti, engagedContacts: 0, contacts: 1 }, NOW);
          expect(sum(score.lines)).toBe(score.centi);
          expect(score.centi).toBeGreaterThanOrEqual(0);
          expect(score.centi).toBeLessThanOrEqual(10_000);
        },
      ),
    );
  });
});
