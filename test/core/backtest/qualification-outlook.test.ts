import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optimisticCriteria } from '../../../src/core/backtest/optimistic-criteria.ts';
import { createQualificationOutlook } from '../../../src/core/backtest/qualification-outlook.ts';
import { evaluateCriteria } from '../../../src/core/criteria/evaluate-criteria.ts';
import { parseCriteria } from '../../../src/core/criteria/parse-criteria.ts';
import { compilePlaybook } from '../../../src/core/playbook/compile-playbook.ts';
import { parsePlaybook } from '../../../src/core/playbook/parse-playbook.ts';
import type { MatchableEvent } from '../../../src/core/scoring/match-condition.ts';

const parsed = parsePlaybook(readFileSync(new URL('../../../playbooks/default.yaml', import.meta.url), 'utf8'));
if (!parsed.ok) throw new Error('the default playbook must parse');
const playbook = compilePlaybook(parsed.value, 1);

const AT = Date.UTC(2026, 2, 2, 12);
const opened: MatchableEvent = { type: 'track', name: 'Email Opened', properties: {} };
const demo: MatchableEvent = { type: 'track', name: 'Demo Requested', properties: {} };
const software = { employees: 300, industry: 'software' };

describe('whether a replayed lead may qualify at an instant (default playbook)', () => {
  const cases: Array<{
    name: string;
    contact: Record<string, unknown>;
    company: Record<string, unknown> | null;
    events: MatchableEvent[];
    may: boolean;
  }> = [
    {
      name: 'a good fit may meet `fit >= 50 and engagement >= 50` with enough engagement',
      contact: { jobTitle: 'VP Marketing' },
      company: software,
      events: [opened],
      may: true,
    },
    {
      name: 'fit 45 (grade C) meets no criterion, whatever its engagement',
      contact: { jobTitle: 'Engineer' },
      company: software,
      events: [opened],
      may: false,
    },
    {
      name: 'fit 45 may take the fast lane (fit 30) when it asks for a demo',
      contact: { jobTitle: 'Engineer' },
      company: software,
      events: [opened, demo],
      may: true,
    },
    {
      name: 'a student asking for a demo is below the fast lane’s fit',
      contact: { jobTitle: 'Marketing student', email: 'kid@gmail.com' },
      company: null,
      events: [demo],
      may: false,
    },
  ];
  it.each(cases)('$name', ({ contact, company, events, may }) => {
    const outlook = createQualificationOutlook(playbook, { contact, company, predicted: null });
    expect(outlook.mayQualify(AT, events)).toBe(may);
  });
});

describe('the optimistic form of a criterion', () => {
  const known = {
    fit: 40,
    grade: 'C' as const,
    predicted: 0.3,
    stage: 'lead' as const,
    reMqlCount: 0,
    contact: { country: 'NO' },
    company: null,
  };
  const cases: Array<[string, boolean]> = [
    ['fit >= 50 and engagement >= 50', false],
    ['fit >= 30 and engagement >= 50', true],
    ['fit >= 50 or engagement >= 90', true],
    ['not (engagement > 5) and fit >= 60', false],
    ['not (engagement > 5) and fit >= 30', true],
    ["not (fit >= 30 and temperature == 'hot')", true],
    ["not (fit >= 30) and count('email-open', '7d') >= 2", false],
    ["contact.country == 'NO' and score >= 70", true],
    ["contact.country == 'SE' and score >= 70", false],
    ["temperature in ['warm', 'hot'] and predicted >= 0.5", false],
  ];
  it.each(cases)('`%s` may hold at fit 40: %s', (source, may) => {
    const expr = parseCriteria(source);
    if (!expr.ok) throw new Error(expr.error.message);
    // Unread: the optimistic form replaced every comparison on them.
    const varying = {
      engagement: Number.NaN,
      score: Number.NaN,
      temperature: 'cold' as const,
      countRule: () => Number.NaN,
    };
    expect(evaluateCriteria(optimisticCriteria(expr.value), { ...known, ...varying })).toBe(may);
  });

  it('holds wherever the criterion holds, for any engagement, score, temperature and count', () => {
    const sources = cases.map(([source]) => source);
    for (const source of sources) {
      const expr = parseCriteria(source);
      if (!expr.ok) throw new Error(expr.error.message);
      const optimistic = evaluateCriteria(optimisticCriteria(expr.value), {
        ...known,
        engagement: 0,
        score: 0,
        temperature: 'cold',
        countRule: () => 0,
      });
      for (const engagement of [0, 6, 50, 95]) {
        for (const temperature of ['cold', 'warm', 'hot'] as const) {
          for (const count of [0, 3]) {
            const context = { ...known, engagement, score: engagement, temperature, countRule: () => count };
            if (evaluateCriteria(expr.value, context)) expect(optimistic, source).toBe(true);
          }
        }
      }
    }
  });
});
