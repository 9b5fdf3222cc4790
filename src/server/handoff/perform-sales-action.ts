import { resolveHandoff } from '../../core/handoff/resolve-handoff.ts';
import type { BantField, TransitionError, TransitionRequest } from '../../core/lifecycle/apply-transition.ts';
import type { Stage } from '../../core/lifecycle/stages.ts';
import { assertUnreachable, err, ok, type Result } from '../../core/result.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { withRetry } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import type { ServiceDeps } from '../http/route-deps.ts';
import { type LeadRow, leadPayload, loadLeads } from '../lifecycle/load-leads.ts';
import { enqueueWebhook } from '../webhooks/enqueue-webhook.ts';
import type { KeyIdentity } from '../workspaces/api-keys.ts';
import { actorOf, canActOnLead } from './can-act-on-lead.ts';
import { moveLead } from './move-lead.ts';
import { reassignLead } from './reassign-lead.ts';
import { type OutcomeAction, recordOutcome } from './record-outcome.ts';
import { recordTouch } from './record-touch.ts';

export type TouchChannel = 'call' | 'email' | 'meeting';

/** What sales can do to a lead (SPEC §4–§5). */
export type SalesAction =
  | { kind: 'accept' }
  | { kind: 'touch'; channel: TouchChannel }
  | { kind: 'qualify'; bant: Partial<Record<BantField, string>> }
  /** Without `nurtureUntil`, the playbook's nurture period (`handoff.nurture.nurtureFor`) applies. */
  | { kind: 'recycle'; reason: string; nurtureUntil: number | null }
  | { kind: 'disqualify'; reason: string }
  | { kind: 'reopen' }
  | { kind: 'reassign'; owner: string }
  | OutcomeAction;

export type SalesActionError =
  | { kind: 'not-found'; message: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'no-playbook'; message: string }
  | TransitionError;

export interface SalesActionResult {
  contactId: string;
  from: Stage | null;
  stage: string;
  owner: string | null;
  nurtureTrack: string | null;
  /** True when an outcome with this external id was recorded before (CSV re-imports). */
  unchanged: boolean;
  /** After a partial qualify: the required BANT fields still unknown (the lead moves to SQL once none are). */
  missingQualification?: string[];
}

/**
 * Performs one sales action in one transaction: checks the caller may act on this lead,
 * applies the lifecycle move, stops or closes the SLA clock, stores outcomes, and writes
 * the webhooks. A refused action changes nothing and says why.
 */
export async function performSalesAction(
  deps: ServiceDeps,
  identity: KeyIdentity,
  contactId: string,
  action: SalesAction,
): Promise<Result<SalesActionResult, SalesActionError>> {
  const workspaceId = identity.workspaceId;
  const playbook = await deps.playbooks.active(workspaceId);
  if (playbook === null) return err({ kind: 'no-playbook', message: 'publish a playbook before working leads' });
  const policy = resolveHandoff(playbook.document);
  return withRetry(() =>
    deps.db.transaction().execute(async (trx) => {
      const [lead] = await loadLeads(trx, workspaceId, [contactId]);
      if (!lead) return err({ kind: 'not-found', message: `no contact ${contactId} in this workspace` });
      if (!canActOnLead(identity, lead, action)) return err(forbidden(identity, lead, action));
      const now = deps.clock();
      const context = { workspaceId, playbookVersion: playbook.version, policy, now, actor: actorOf(identity) };
      const done = (from: Stage | null, stage: string, extra: Partial<SalesActionResult> = {}) =>
        ok({ contactId, from, stage, owner: lead.owner, nurtureTrack: null, unchanged: false, ...extra });

      switch (action.kind) {
        case 'touch': {
          await recordTouch(trx, workspaceId, now, lead, action.channel, context.actor);
          return done(null, lead.stage);
        }
        case 'accept': {
          const moved = await moveLead(trx, context, lead, { kind: 'accept' });
          if (!moved.ok) return moved;
          const owner = lead.owner ?? identity.userId;
          if (owner !== lead.owner) await claimLead(trx, workspaceId, now, lead, owner);
          return done(moved.value.from, moved.value.to, { owner });
        }
        case 'qualify': {
          const bant = cleanBant(action.bant);
          const request: TransitionRequest = {
            kind: 'qualify-sql',
            bant: { ...lead.qualification, ...bant },
            required: policy.requiredBant,
          };
          const moved = await moveLead(trx, { ...context, qualification: bant }, lead, request);
          if (moved.ok) return done(moved.value.from, moved.value.to);
          if (moved.error.kind !== 'missing-qualification') return moved;
          // Sales learns BANT piece by piece: what is known is kept, the move waits for the rest.
          await saveQualification(trx, workspaceId, now, lead, bant);
          return done(null, lead.stage, { missingQualification: moved.error.missing });
        }
        case 'recycle':
        case 'disqualify': {
          const allowed = action.kind === 'recycle' ? policy.reasons.recycle : policy.reasons.disqualify;
          const request: TransitionRequest =
            action.kind === 'recycle'
              ? {
                  kind: 'recycle',
                  reason: action.reason,
                  nurtureUntil: action.nurtureUntil ?? now + policy.nurture.nurtureForMs,
                  allowedReasons: allowed,
                }
              : { kind: 'disqualify', reason: action.reason, allowedReasons: allowed };
          const moved = await moveLead(trx, { ...context, reason: action.reason }, lead, request);
          return moved.ok ? done(moved.value.from, moved.value.to, { nurtureTrack: moved.value.nurtureTrack }) : moved;
        }
        case 'reopen': {
          const moved = await moveLead(trx, context, lead, { kind: 'reopen' });
          if (!moved.ok) return moved;
          const details = { from: moved.value.from };
          await recordAudit(
            trx,
            { workspaceId, actor: context.actor, action: 'lead.reopened', target: contactId, details },
            now,
          );
          return done(moved.value.from, moved.value.to);
        }
        case 'reassign': {
          if (action.owner === lead.owner) return done(null, lead.stage, { unchanged: true });
          await reassignLead(trx, context, lead, action.owner);
          const details = { from: lead.owner, to: action.owner };
          const entry = {
            workspaceId,
            actor: context.actor,
            action: 'lead.reassigned',
            target: contactId,
            details,
          } as const;
          await recordAudit(trx, entry, now);
          return done(null, lead.stage, { owner: action.owner });
        }
        case 'create-opportunity':
        case 'record-outcome': {
          const recorded = await recordOutcome(trx, context, lead, action);
          if (!recorded.ok) return recorded;
          if (recorded.value === null) return done(null, lead.stage, { unchanged: true });
          return done(recorded.value.from, recorded.value.to);
        }
        default:
          return assertUnreachable(action);
      }
    }),
  );
}

async function saveQualification(
  trx: Db,
  workspaceId: string,
  now: number,
  lead: LeadRow,
  bant: Record<string, string>,
): Promise<void> {
  await trx
    .updateTable('contacts')
    .set({ qualification: JSON.stringify({ ...lead.qualification, ...bant }), updated_at: new Date(now) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', lead.id)
    .execute();
}

function cleanBant(bant: Partial<Record<BantField, string>>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [field, value] of Object.entries(bant)) if (value?.trim()) clean[field] = value.trim();
  return clean;
}

async function claimLead(
  trx: Db,
  workspaceId: string,
  now: number,
  lead: LeadRow,
  owner: string | null,
): Promise<void> {
  await trx
    .updateTable('contacts')
    .set({ owner })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', lead.id)
    .execute();
  if (owner === null) return;
  await enqueueWebhook(
    trx,
    workspaceId,
    'lead.assigned',
    {
      lead: leadPayload(lead, { owner, stage: 'sal' }),
      owner,
      teamId: lead.team_id,
      explanation: 'accepted by the rep',
    },
    now,
  );
}

function forbidden(identity: KeyIdentity, lead: LeadRow, action: SalesAction): SalesActionError {
  if (action.kind === 'reopen') {
    return { kind: 'forbidden', message: 'only an admin may reopen a lead; ask an admin, or use an admin key' };
  }
  if (action.kind === 'reassign') {
    return { kind: 'forbidden', message: 'managers and admins reassign leads; ask your manager' };
  }
  if (identity.role === 'rep' && identity.userId === null) {
    return {
      kind: 'forbidden',
      message: 'this rep key names no rep; create one with `ripen keys create secret --role rep --user <rep id>`',
    };
  }
  const owner = lead.owner === null ? 'nobody yet (accept it first)' : 'another rep';
  return { kind: 'forbidden', message: `this lead belongs to ${owner}; a rep may act only on leads they own` };
}
