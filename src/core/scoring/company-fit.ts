import type { Playbook } from '../playbook/playbook-schema.ts';
import { type FitLine, scoreFit } from './score-fit.ts';

/** Every field path a condition reads (`company.employees`, `contact.jobTitle`, …). */
export function fieldsOf(condition: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof condition === 'string') {
    for (const match of condition.matchAll(/\b(contact|company)\.[A-Za-z_][\w.]*/g)) into.add(match[0]);
  } else if (Array.isArray(condition)) {
    for (const item of condition) fieldsOf(item, into);
  } else if (condition !== null && typeof condition === 'object') {
    const record = condition as Record<string, unknown>;
    if (typeof record.field === 'string') into.add(record.field);
    for (const value of Object.values(record)) fieldsOf(value, into);
  }
  return into;
}

/** The fit groups whose every rule reads only the company: size, industry, maturity… */
export function companyFitGroups(playbook: Playbook): string[] {
  return playbook.fit.groups
    .filter((group) => {
      const fields = group.rules.flatMap((rule) => [...fieldsOf(rule.when)]);
      return fields.length > 0 && fields.every((field) => field.startsWith('company.'));
    })
    .map((group) => group.id);
}

export interface CompanyFit {
  /** The groups counted, by id. */
  groups: string[];
  /** Points from those groups alone, group caps applied (centi-points). */
  centi: number;
  lines: FitLine[];
}

/**
 * The part of fit a company earns by itself, whoever the contact: the playbook's
 * company-only groups scored on the company, explained line by line like any score.
 */
export function scoreCompanyFit(playbook: Playbook, company: Record<string, unknown>, now: number): CompanyFit {
  const groups = companyFitGroups(playbook);
  const only: Playbook = {
    ...playbook,
    fit: { ...playbook.fit, groups: playbook.fit.groups.filter((group) => groups.includes(group.id)) },
  };
  const result = scoreFit(only, { contact: {}, company }, now);
  const lines = result.lines.filter((line) => line.kind !== 'clamp');
  return { groups, centi: lines.reduce((sum, line) => sum + line.centi, 0), lines };
}
