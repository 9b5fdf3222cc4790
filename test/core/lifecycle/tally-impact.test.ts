import { describe, expect, it } from 'vitest';
import type { LeadPreview } from '../../../src/core/lifecycle/preview-lead.ts';
import {
  classifyChange,
  emptyImpactTally,
  listTransitions,
  tallyImpact,
} from '../../../src/core/lifecycle/tally-impact.ts';

const base: LeadPreview = {
  fitCenti: 5000,
  engagementCenti: 3000,
  combinedCenti: 4000,
  grade: 'B',
  temperature: 'warm',
  stage: 'lead',
  qualifiesBy: null,
};
const mql: LeadPreview = { ...base, engagementCenti: 5000, combinedCenti: 5000, stage: 'mql', qualifiesBy: 'good-fit' };

describe('the kinds of change between a lead under the published playbook and under a draft', () => {
  const scenarios: Array<[string, LeadPreview, LeadPreview, string[]]> = [
    ['nothing that matters changes when only the score moves', base, { ...base, combinedCenti: 4100 }, []],
    ['a new grade is a grade change', base, { ...base, grade: 'A' }, ['grade']],
    ['a new temperature is a temperature change', base, { ...base, temperature: 'hot' }, ['temperature']],
    [
      'a lead the draft would make an MQL is a stage change',
      base,
      { ...base, stage: 'mql', qualifiesBy: 'x' },
      ['stage'],
    ],
    [
      'an MQL whose criterion no longer holds would no longer qualify',
      mql,
      { ...mql, qualifiesBy: null },
      ['unqualified'],
    ],
    [
      'an MQL that never met a criterion (the fast lane) does not count as unqualified',
      { ...mql, qualifiesBy: null },
      { ...mql, qualifiesBy: null },
      [],
    ],
    ['a lead that does not qualify either way is no MQL to lose', base, base, []],
  ];
  for (const [name, before, after, kinds] of scenarios) {
    it(name, () => expect(classifyChange(before, after)).toEqual(kinds));
  }
});

describe('the impact tally', () => {
  it('counts moves from → to, largest first, and keeps the examples whose score moves most', () => {
    const tally = emptyImpactTally(2);
    const who = (id: string) => ({ id, name: null, email: `${id}@example.com` });
    tallyImpact(tally, who('a'), base, { ...base, grade: 'A', combinedCenti: 4100 });
    tallyImpact(tally, who('b'), base, { ...base, grade: 'A', combinedCenti: 6000 });
    tallyImpact(tally, who('c'), { ...base, grade: 'C' }, { ...base, grade: 'D', combinedCenti: 4500 });
    tallyImpact(tally, who('d'), base, base);
    expect(tally.contacts).toBe(4);
    expect(tally.scoreChanged).toBe(3);
    expect(tally.changed).toEqual({ grade: 3, temperature: 0, stage: 0, unqualified: 0 });
    expect(listTransitions(tally.grades)).toEqual([
      { from: 'B', to: 'A', count: 2 },
      { from: 'C', to: 'D', count: 1 },
    ]);
    expect(tally.examples.grade.map((example) => example.contact.id)).toEqual(['b', 'c']);
  });
});
