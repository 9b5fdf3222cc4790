import type { FitGroup, Playbook } from '../playbook/playbook-schema.ts';
import type { Grade } from './grades.ts';
import { matchesCondition } from './match-condition.ts';
import { toCenti } from './points.ts';

/** What fit rules look at: the contact's and its company's properties. */
export interface FitSubject {
  contact: Record<string, unknown>;
  company: Record<string, unknown> | null;
}

/** One line of a fit explanation. Lines sum exactly to the fit score (in centi-points). */
export type FitLine =
  | { kind: 'rule'; group: string; rule: string; label: string; centi: number }
  | { kind: 'group-cap'; group: string; cap: number; centi: number }
  | { kind: 'clamp'; min: number; max: number; centi: number };

export interface FitResult {
  /** Fit in centi-points (hundredths), 0..10000. */
  centi: number;
  grade: Grade;
  lines: FitLine[];
}

export const FIT_MIN = 0;
export const FIT_MAX = 100;

/** Scores fit: rules per group (first match only where asked), group caps, total clamped to 0–100. */
export function scoreFit(playbook: Playbook, subject: FitSubject, now: number): FitResult {
  const { total, lines } = scoreGroups(playbook.fit.groups, subject, now);
  const clamped = Math.min(toCenti(FIT_MAX), Math.max(toCenti(FIT_MIN), total));
  if (clamped !== total) lines.push({ kind: 'clamp', min: FIT_MIN, max: FIT_MAX, centi: clamped - total });
  return { centi: clamped, grade: gradeFor(playbook, clamped), lines };
}

/** Points of rule groups (fit's, or the company section's), before any clamp: lines sum to `total`. */
export function scoreGroups(
  groups: readonly FitGroup[],
  subject: FitSubject,
  now: number,
): { total: number; lines: FitLine[] } {
  const lines: FitLine[] = [];
  let total = 0;
  for (const group of groups) {
    let groupTotal = 0;
    for (const rule of group.rules) {
      if (!matchesCondition(rule.when, subject, now)) continue;
      const centi = toCenti(rule.points);
      lines.push({ kind: 'rule', group: group.id, rule: rule.id, label: rule.label ?? rule.id, centi });
      groupTotal += centi;
      if (group.firstMatchOnly) break;
    }
    if (group.cap !== undefined && groupTotal > toCenti(group.cap)) {
      const cut = toCenti(group.cap) - groupTotal;
      lines.push({ kind: 'group-cap', group: group.id, cap: group.cap, centi: cut });
      groupTotal += cut;
    }
    total += groupTotal;
  }
  return { total, lines };
}

export function gradeFor(playbook: Playbook, fitCenti: number): Grade {
  const bands = playbook.fit.grades;
  if (fitCenti >= toCenti(bands.A)) return 'A';
  if (fitCenti >= toCenti(bands.B)) return 'B';
  if (fitCenti >= toCenti(bands.C)) return 'C';
  return 'D';
}
