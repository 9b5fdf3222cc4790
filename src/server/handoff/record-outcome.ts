import type { AppliedTransition, TransitionError, TransitionRequest } from '../../core/lifecycle/apply-transition.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { type LeadRow, leadPayload } from '../lifecycle/load-leads.ts';
import { enqueueWebhook } from '../webhooks/enqueue-webhook.ts';
import { type MoveContext, moveLead } from './move-lead.ts';

export type OutcomeAction =
  | { kind: 'create-opportunity'; amount?: number; currency?: string; externalId?: string; at?: number }
  | {
      kind: 'record-outcome';
      outcome: 'won' | 'lost';
      reason?: string;
      amount?: number;
      currency?: string;
      externalId?: string;
      at?: number;
      /**
       * A CRM import's fact: recorded whatever the stage (no playbook reason required), the
       * history naming the import; a customer's later deals are recorded without a move.
       */
      imported?: boolean;
    };

/**
 * Records an opportunity or a won/lost outcome with its lifecycle move, in the caller's
 * transaction. With an external id (a CRM's deal id) it is idempotent: a second import of
 * the same outcome returns null and changes nothing.
 */
export async function recordOutcome(
  trx: Db,
  context: MoveContext,
  lead: LeadRow,
  action: OutcomeAction,
): Promise<Result<AppliedTransition | null, TransitionError>> {
  const kind = action.kind === 'create-opportunity' ? 'opportunity' : action.outcome;
  if (action.externalId !== undefined) {
    const seen = await trx
      .selectFrom('outcomes')
      .select('id')
      .where('workspace_id', '=', context.workspaceId)
      .where('external_id', '=', action.externalId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    if (seen) return ok(null);
  }
  let request: TransitionRequest | null;
  if (action.kind === 'create-opportunity') request = { kind: 'create-opportunity' };
  else if (action.imported)
    request = lead.stage === 'customer' ? null : { kind: 'import-outcome', outcome: action.outcome };
  else if (action.outcome === 'won') request = { kind: 'record-outcome', outcome: 'won' };
  else {
    const reason = action.reason ?? '';
    const allowed = context.policy.reasons.lost;
    if (!allowed.includes(reason)) {
      const message = `a lost outcome needs one of the playbook's lost reasons (${allowed.join(', ')}), got \`${reason}\``;
      return err({ kind: 'invalid-reason', reason, allowed, message });
    }
    request = { kind: 'record-outcome', outcome: 'lost', reason };
  }
  const reason = action.kind === 'record-outcome' ? (action.reason ?? null) : null;
  const moved =
    request === null
      ? ok({
          state: { stage: 'customer' as const, nurtureUntil: null, reMqlCount: lead.re_mql_count },
          from: 'customer' as const,
          to: 'customer' as const,
        })
      : await moveLead(trx, { ...context, reason }, lead, request);
  if (!moved.ok) return moved;
  const at = new Date(action.at ?? context.now);
  await trx
    .insertInto('outcomes')
    .values({
      workspace_id: context.workspaceId,
      contact_id: lead.id,
      kind,
      reason,
      amount: action.amount ?? null,
      currency: action.currency ?? null,
      external_id: action.externalId ?? null,
      at,
      actor: context.actor,
    })
    .execute();
  await enqueueWebhook(
    trx,
    context.workspaceId,
    'outcome.recorded',
    {
      lead: leadPayload(lead, { stage: moved.value.to }),
      outcome: kind,
      reason,
      amount: action.amount ?? null,
      currency: action.currency ?? null,
      externalId: action.externalId ?? null,
      at: at.toISOString(),
    },
    context.now,
  );
  return ok(moved.value);
}
