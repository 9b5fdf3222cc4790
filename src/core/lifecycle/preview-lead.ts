import type { CompiledPlaybook } from '../playbook/compile-playbook.ts';
import type { Grade, Temperature } from '../scoring/grades.ts';
import { findMetCriterion } from './decide-automatic-transition.ts';
import { type LeadToRescore, rescoreLead } from './rescore-lead.ts';
import { isStage, type Stage } from './stages.ts';

/** What a playbook would make of a lead at `now`, without changing it. */
export interface LeadPreview {
  fitCenti: number;
  engagementCenti: number;
  combinedCenti: number;
  grade: Grade;
  temperature: Temperature;
  /** The stage after the moves the playbook makes on its own (e.g. `lead` → `mql`). */
  stage: Stage;
  /** The MQL criterion the scores meet, whatever the stage; null when none does. */
  qualifiesBy: string | null;
}

/**
 * A lead rescored under a playbook exactly as publishing it would (`rescoreLead`: no hand-raise,
 * criteria only), plus whether its scores meet an MQL criterion, which for a lead past `lead`
 * tells whether it would still qualify.
 */
export function previewLead(playbook: CompiledPlaybook, lead: LeadToRescore, now: number): LeadPreview {
  const { state, score, lifecycle } = rescoreLead(playbook, lead, now);
  const qualifiesBy = findMetCriterion(playbook, {
    stage: isStage(lead.stage) ? lead.stage : 'lead',
    reMqlCount: lead.reMqlCount,
    score,
    state,
    contact: lead.contact,
    company: lead.company,
    predicted: lead.predicted,
    now,
  });
  return {
    fitCenti: score.fitCenti,
    engagementCenti: score.engagementCenti,
    combinedCenti: score.combinedCenti,
    grade: score.grade,
    temperature: score.temperature,
    stage: lifecycle.stage,
    qualifiesBy,
  };
}
