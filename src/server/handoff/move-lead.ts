import { chooseNurtureTrack, type HandoffPolicy } from '../../core/handoff/resolve-handoff.ts';
import {
  type AppliedTransition,
  applyTransition,
  type TransitionError,
  type TransitionRequest,
} from '../../core/lifecycle/apply-transition.ts';
import { ok, type Result } from '../../core/result.ts';
import { fromCenti } from '../../core/scoring/points.ts';
import type { Db } from '../db/open-database.ts';
import { type LeadRow, leadPayload, scoringSubjects, stageOf } from '../lifecycle/load-leads.ts';
import { writeStageChanges } from '../lifecycle/write-stage-changes.ts';

export interface MoveContext {
  workspaceId: string;
  playbookVersion: number;
  policy: HandoffPolicy;
  now: number;
  /** `key:<id>`, `user:<rep>` or `rule:<id>`: who made the move, for the stage history. */
  actor: string;
  reason?: string | null;
  qualification?: Record<string, string>;
}

/** The score a stage change is recorded with, in the shape automatic moves record (`scoreSnapshot`). */
export function snapshotOf(lead: LeadRow, playbookVersion: number): Record<string, unknown> {
  return {
    fit: fromCenti(lead.fit),
    engagement: fromCenti(lead.engagement),
    score: fromCenti(lead.score),
    grade: lead.grade,
    temperature: lead.temperature,
    playbookVersion,
  };
}

/**
 * A person's or a sweep's move of one locked lead: checks it against the lifecycle, picks the
 * nurture track when the lead leaves sales, and has the lifecycle writer record it (stage,
 * history with who, why and the score, the hand-off clock, the webhooks) in the caller's
 * transaction.
 */
export async function moveLead(
  trx: Db,
  context: MoveContext,
  lead: LeadRow,
  request: TransitionRequest,
): Promise<Result<AppliedTransition & { nurtureTrack: string | null }, TransitionError>> {
  const { workspaceId, now } = context;
  const stage = stageOf(lead);
  const moved = applyTransition(
    { stage, nurtureUntil: lead.nurture_until?.getTime() ?? null, reMqlCount: lead.re_mql_count },
    request,
    now,
  );
  if (!moved.ok) return moved;
  const { state, from, to } = moved.value;
  const nurtureTrack =
    to === 'recycled'
      ? chooseNurtureTrack(context.policy, {
          ...scoringSubjects(lead),
          reason: context.reason ?? '',
          fromStage: from,
          now,
        })
      : null;
  await writeStageChanges(
    trx,
    workspaceId,
    [
      {
        contactId: lead.id,
        from,
        to,
        state,
        transition: request.kind,
        rule: 'rule' in request ? request.rule : null,
        actor: context.actor,
        reason: context.reason ?? null,
        playbookVersion: context.playbookVersion,
        scoreSnapshot: snapshotOf(lead, context.playbookVersion),
        sales: { qualification: { ...lead.qualification, ...(context.qualification ?? {}) }, nurtureTrack },
        lead: leadPayload(lead, { stage: to }),
      },
    ],
    now,
  );
  return ok({ ...moved.value, nurtureTrack });
}
