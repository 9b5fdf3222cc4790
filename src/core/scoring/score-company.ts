import type { CompanySection } from '../playbook/playbook-schema.ts';
import { toCenti } from './points.ts';
import { type FitLine, scoreGroups } from './score-fit.ts';

/** One line of a company score's explanation; lines sum exactly to the score (centi-points). */
export type CompanyLine =
  | FitLine
  | { kind: 'engagement'; contacts: number; weight: number; centi: number }
  | { kind: 'engagement-cap'; cap: number; centi: number };

/** Its contacts' engagement, as scoring stored it. */
export interface CompanyRollup {
  /** Sum of the contacts' engagement scores (centi-points). */
  engagementCenti: number;
  /** Contacts whose engagement reaches the section's `engagedAt`. */
  engagedContacts: number;
  /** Contacts with any engagement (the rolled-up line names them). */
  contacts: number;
}

export interface CompanyScore {
  /** 0..10000 centi-points. */
  centi: number;
  lines: CompanyLine[];
}

export const COMPANY_SCORE_MIN = 0;
export const COMPANY_SCORE_MAX = 100;

/**
 * The company score: the section's rule groups on the company (maturity, trust, technology…,
 * group caps applied), plus `weight` × its contacts' summed engagement (capped), clamped to
 * 0–100. A pure function of the company, the rolled-up engagement and `now` (rules with ages).
 */
export function scoreCompany(
  section: CompanySection,
  company: Record<string, unknown>,
  rollup: CompanyRollup,
  now: number,
): CompanyScore {
  const { total: groupTotal, lines } = scoreGroups(section.groups, { contact: {}, company }, now);
  const companyLines: CompanyLine[] = [...lines];
  let total = groupTotal;
  const engagement = section.engagement;
  if (engagement && rollup.engagementCenti !== 0) {
    let centi = Math.round(engagement.weight * rollup.engagementCenti);
    companyLines.push({ kind: 'engagement', contacts: rollup.contacts, weight: engagement.weight, centi });
    if (engagement.cap !== undefined && centi > toCenti(engagement.cap)) {
      const cut = toCenti(engagement.cap) - centi;
      companyLines.push({ kind: 'engagement-cap', cap: engagement.cap, centi: cut });
      centi += cut;
    }
    total += centi;
  }
  const clamped = Math.min(toCenti(COMPANY_SCORE_MAX), Math.max(toCenti(COMPANY_SCORE_MIN), total));
  if (clamped !== total) {
    companyLines.push({ kind: 'clamp', min: COMPANY_SCORE_MIN, max: COMPANY_SCORE_MAX, centi: clamped - total });
  }
  return { centi: clamped, lines: companyLines };
}

/** The engagement (centi-points) from which a contact counts as engaged for its company. */
export function engagedAtCenti(section: CompanySection | undefined): number | null {
  return section?.engagement ? toCenti(section.engagement.engagedAt) : null;
}
