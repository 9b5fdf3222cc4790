import { parseCriteria } from '../criteria/parse-criteria.ts';
import { listReferencedRules } from '../criteria/referenced-rules.ts';
import { durationMs } from '../duration.ts';
import { fieldsOf } from '../scoring/company-fit.ts';
import { checkCondition, type Path, type SemanticIssue } from './check-condition.ts';
import { checkHandoffSemantics } from './check-handoff-semantics.ts';
import type { Playbook } from './playbook-schema.ts';

function checkUniqueIds(ids: Array<{ id: string; path: Path }>, what: string, issues: SemanticIssue[]): void {
  const seen = new Map<string, Path>();
  for (const { id, path } of ids) {
    if (seen.has(id)) {
      issues.push({
        segments: [...path, 'id'],
        expected: `a ${what} id not used before`,
        found: id,
        message: `${what} id \`${id}\` is used twice; ids must be unique because scores and history refer to them`,
      });
    }
    seen.set(id, path);
  }
}

function checkDescending(values: Array<[string, number]>, path: Path, what: string, issues: SemanticIssue[]): void {
  for (let i = 1; i < values.length; i++) {
    const [higherName, higher] = values[i - 1]!;
    const [lowerName, lower] = values[i]!;
    if (higher <= lower) {
      issues.push({
        segments: [...path, lowerName],
        expected: `less than ${higherName} (${higher})`,
        found: String(lower),
        message: `${what} \`${lowerName}\` (${lower}) must be lower than \`${higherName}\` (${higher})`,
      });
    }
  }
}

/** Checks what the JSON Schema cannot. Paths are segments into the document for locating. */
export function checkPlaybookSemantics(playbook: Playbook): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const fitRules: Array<{ id: string; path: Path }> = [];
  playbook.fit.groups.forEach((group, g) => {
    group.rules.forEach((rule, r) => {
      const path: Path = ['fit', 'groups', g, 'rules', r];
      fitRules.push({ id: rule.id, path });
      checkCondition(rule.when, [...path, 'when'], issues);
    });
  });
  checkUniqueIds(
    playbook.fit.groups.map((group, g) => ({ id: group.id, path: ['fit', 'groups', g] })),
    'fit group',
    issues,
  );
  checkUniqueIds(fitRules, 'fit rule', issues);

  const engagementRules: Array<{ id: string; path: Path }> = [];
  playbook.engagement.groups.forEach((group, g) => {
    group.rules.forEach((rule, r) => {
      const path: Path = ['engagement', 'groups', g, 'rules', r];
      engagementRules.push({ id: rule.id, path });
      for (const [c, condition] of (rule.match.where ?? []).entries()) {
        checkCondition(condition, [...path, 'match', 'where', c], issues);
      }
      if (rule.halfLife !== undefined && durationMs(rule.halfLife) === 0) {
        issues.push({
          segments: [...path, 'halfLife'],
          expected: 'a duration above zero',
          found: rule.halfLife,
          message: '`halfLife` must be longer than zero',
        });
      }
      if (rule.once && rule.cap) {
        issues.push({
          segments: [...path, 'cap'],
          expected: 'either once or cap',
          found: 'both',
          message: 'use either `once` or `cap` on a rule, not both',
        });
      }
    });
  });
  checkUniqueIds(
    playbook.engagement.groups.map((group, g) => ({ id: group.id, path: ['engagement', 'groups', g] })),
    'engagement group',
    issues,
  );
  checkUniqueIds(engagementRules, 'engagement rule', issues);

  checkCompanySection(playbook, issues);

  const grades = playbook.fit.grades;
  checkDescending(
    [
      ['A', grades.A],
      ['B', grades.B],
      ['C', grades.C],
    ],
    ['fit', 'grades'],
    'grade band',
    issues,
  );
  const temperatures = playbook.engagement.temperatures;
  checkDescending(
    [
      ['hot', temperatures.hot],
      ['warm', temperatures.warm],
    ],
    ['engagement', 'temperatures'],
    'temperature band',
    issues,
  );

  const knownRules = new Set(engagementRules.map((rule) => rule.id));
  checkUniqueIds(
    playbook.mql.criteria.map((c, i) => ({ id: c.id, path: ['mql', 'criteria', i] })),
    'MQL criterion',
    issues,
  );
  playbook.mql.criteria.forEach((criterion, i) => {
    const path: Path = ['mql', 'criteria', i, 'when'];
    const parsed = parseCriteria(criterion.when);
    if (!parsed.ok) {
      issues.push({
        segments: path,
        expected: 'a criteria expression such as `fit >= 50 and engagement >= 40`',
        found: criterion.when,
        message: `MQL criterion \`${criterion.id}\`: ${parsed.error.message}`,
      });
      return;
    }
    for (const ruleId of listReferencedRules(parsed.value)) {
      if (!knownRules.has(ruleId)) {
        issues.push({
          segments: path,
          expected: 'count() of an engagement rule id defined in this playbook',
          found: ruleId,
          message: `MQL criterion \`${criterion.id}\` counts rule \`${ruleId}\`, which is not an engagement rule of this playbook`,
        });
      }
    }
  });
  for (const [e, event] of (playbook.handRaisers?.events ?? []).entries()) {
    for (const [c, condition] of (event.match.where ?? []).entries()) {
      checkCondition(condition, ['handRaisers', 'events', e, 'match', 'where', c], issues);
    }
  }
  if (playbook.handoff) issues.push(...checkHandoffSemantics(playbook.handoff));
  return issues;
}

/** The company section's rules read only the company: a contact field there would make the score differ per person. */
function checkCompanySection(playbook: Playbook, issues: SemanticIssue[]): void {
  const section = playbook.company;
  if (!section) return;
  const rules: Array<{ id: string; path: Path }> = [];
  section.groups.forEach((group, g) => {
    group.rules.forEach((rule, r) => {
      const path: Path = ['company', 'groups', g, 'rules', r];
      rules.push({ id: rule.id, path });
      checkCondition(rule.when, [...path, 'when'], issues);
      for (const field of fieldsOf(rule.when)) {
        if (field.startsWith('company.')) continue;
        issues.push({
          segments: [...path, 'when'],
          expected: 'conditions on company fields only (company.employees, company.technologies, …)',
          found: field,
          message: `company rule \`${rule.id}\` reads \`${field}\`: the company score is the same for everyone at the company, so its rules read only \`company.*\`; put rules on the person under \`fit\``,
        });
      }
      if (fieldsOf(rule.when).has('company.score')) {
        issues.push({
          segments: [...path, 'when'],
          expected: 'a company field other than its own score',
          found: 'company.score',
          message: `company rule \`${rule.id}\` reads \`company.score\`, the score it is part of; use the fields the score is made of`,
        });
      }
    });
  });
  checkUniqueIds(
    section.groups.map((group, g) => ({ id: group.id, path: ['company', 'groups', g] })),
    'company group',
    issues,
  );
  checkUniqueIds(rules, 'company rule', issues);
}
