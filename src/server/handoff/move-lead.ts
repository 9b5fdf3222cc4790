import { chooseNurtureTrack, type HandoffPolicy } from '../../core/handoff/resolve-handoff.ts';
import {
  type AppliedTransition,
  applyTransition,
  type TransitionError,
  type TransitionRequest,
} from '../../core/lifecycle/apply-transition.ts';
import { isStage, type Stage } from '../../core/lifecycle/stages.ts';
import { ok, type Result } from '../../core/result.ts';
import { fromCenti } from '../../core/scoring/points.ts';
import type { Db } from '../db/open-database.ts';
import { scoringSubjects } from '../scoring/load-scoring-rows.ts';
import { enqueueWebhook, type WebhookEventType } from '../webhooks/enqueue-webhook.ts';
import { type LeadRow, leadPayload } from './load-leads.ts';

/** Webhooks announcing that a lead entered a stage (outcomes are announced by the outcome itself). */
const STAGE_WEBHOOK: Partial<Record<Stage, WebhookEventType>> = {
  sal: 'lead.accepted',
  sql: 'lead.sql',
  recycled: 'lead.recycled',
  disqualified: 'lead.disqualified',
  lead: 'lead.reopened',
};

/** Stages in which the first-touch clock no longer runs. */
const CLOSES_HANDOFF: ReadonlySet<Stage> = new Set([
  'sql',
  'opportunity',
  'customer',
  'recycled',
  'disqualified',
  'lead',
]);

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
 * Applies a lifecycle move to a locked lead: the contact's stage, the stage history (who,
 * why, playbook version, score snapshot), the hand-off clock, the nurture track when it
 * leaves sales, and the webhook announcing it, all in the caller's transaction.
 */
export async function moveLead(
  trx: Db,
  context: MoveContext,
  lead: LeadRow,
  request: TransitionRequest,
): Promise<Result<AppliedTransition & { nurtureTrack: string | null }, TransitionError>> {
  const { workspaceId, now } = context;
  const stage: Stage = isStage(lead.stage) ? lead.stage : 'lead';
  const moved = applyTransition(
    { stage, nurtureUntil: lead.nurture_until?.getTime() ?? null, reMqlCount: lead.re_mql_count },
    request,
    now,
  );
  if (!moved.ok) return moved;
  const { state, from, to } = moved.value;
  const at = new Date(now);
  const nurtureTrack =
    to === 'recycled'
      ? chooseNurtureTrack(context.policy, {
          ...scoringSubjects(lead),
          reason: context.reason ?? '',
          fromStage: from,
          now,
        })
      : null;
  const qualification = { ...lead.qualification, ...(context.qualification ?? {}) };
  await trx
    .updateTable('contacts')
    .set({
      stage: state.stage,
      nurture_until: state.nurtureUntil === null ? null : new Date(state.nurtureUntil),
      re_mql_count: state.reMqlCount,
      stage_entered_at: JSON.stringify({ ...lead.stage_entered_at, [to]: at.toISOString() }),
      qualification: JSON.stringify(qualification),
      nurture_track: nurtureTrack,
      updated_at: at,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', lead.id)
    .execute();
  await trx
    .insertInto('stage_history')
    .values({
      workspace_id: workspaceId,
      contact_id: lead.id,
      from_stage: from,
      to_stage: to,
      at,
      actor: context.actor,
      transition: request.kind,
      rule: 'rule' in request ? request.rule : null,
      reason: context.reason ?? null,
      playbook_version: context.playbookVersion,
      score_snapshot: JSON.stringify(snapshotOf(lead, context.playbookVersion)),
    })
    .execute();
  if (CLOSES_HANDOFF.has(to)) {
    await trx
      .updateTable('handoffs')
      .set({ status: 'closed', closed_reason: to })
      .where('workspace_id', '=', workspaceId)
      .where('contact_id', '=', lead.id)
      .where('status', '=', 'open')
      .execute();
  }
  const payload = {
    lead: leadPayload(lead, { stage: to }),
    from,
    to,
    reason: context.reason ?? null,
    by: context.actor,
  };
  const type = STAGE_WEBHOOK[to];
  if (type) await enqueueWebhook(trx, workspaceId, type, payload, now);
  if (nurtureTrack !== null) {
    const nurtureUntil = state.nurtureUntil === null ? null : new Date(state.nurtureUntil).toISOString();
    await enqueueWebhook(trx, workspaceId, 'lead.nurture', { ...payload, track: nurtureTrack, nurtureUntil }, now);
  }
  return ok({ ...moved.value, nurtureTrack });
}
