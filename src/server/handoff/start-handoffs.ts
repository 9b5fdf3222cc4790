import { type HandoffPolicy, resolveHandoff } from '../../core/handoff/resolve-handoff.ts';
import { chooseTeam, type RoutingDecision, type RoutingError, routeLead } from '../../core/handoff/route-lead.ts';
import type { CompiledPlaybook } from '../../core/playbook/compile-playbook.ts';
import type { Result } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { type LeadRow, leadPayload, loadLeads, scoringSubjects } from '../lifecycle/load-leads.ts';
import { enqueueWebhooks } from '../webhooks/enqueue-webhooks.ts';
import { type Assignment, openHandoffs } from './open-handoff.ts';
import { listUnavailableReps, lockRotations, saveRotations } from './rotations.ts';

/**
 * Hands new MQLs to sales inside the transaction that qualified them: routes each to an
 * owner, starts its SLA clock, and writes `lead.mql` and `lead.assigned` to the outbox.
 * Without a routing section the MQL is announced and waits, unassigned, for a person.
 */
export async function startHandoffs(
  trx: Db,
  workspaceId: string,
  playbook: CompiledPlaybook,
  now: number,
  /** `at`: when the qualifying action happened; the SLA clock starts there (see openHandoffs). */
  qualified: ReadonlyArray<{ contactId: string; rule: string; at?: number }>,
): Promise<void> {
  if (qualified.length === 0) return;
  const policy = resolveHandoff(playbook.document);
  const leads = await loadLeads(
    trx,
    workspaceId,
    qualified.map((item) => item.contactId),
  );
  const ruleOf = new Map(qualified.map((item) => [item.contactId, item.rule]));
  const qualifiedAt = new Map(qualified.map((item) => [item.contactId, item.at ?? now]));
  const decisions = policy.routing ? await routeLeads(trx, workspaceId, policy, now, leads) : new Map();
  const announcements = leads.map((lead) => {
    const decision = decisions.get(lead.id);
    return {
      type: 'lead.mql' as const,
      data: {
        lead: leadPayload(lead, { stage: 'mql' }),
        rule: ruleOf.get(lead.id) ?? null,
        routing: decision && !decision.ok ? { error: decision.error.message } : null,
      },
    };
  });
  await enqueueWebhooks(trx, workspaceId, announcements, now);
  const assignments: Assignment[] = leads.flatMap((lead) => {
    const decision = decisions.get(lead.id);
    if (!decision?.ok) return [];
    const { owner, teamId, explanation } = decision.value;
    return [{ lead, owner, teamId, explanation, qualifiedAt: qualifiedAt.get(lead.id) ?? now }];
  });
  await openHandoffs(trx, workspaceId, policy, now, assignments);
}

/** Routes leads one after another against the locked rotations, then saves the rotations once. */
async function routeLeads(
  trx: Db,
  workspaceId: string,
  policy: HandoffPolicy,
  now: number,
  leads: readonly LeadRow[],
): Promise<Map<string, Result<RoutingDecision, RoutingError>>> {
  const routing = policy.routing;
  const decisions = new Map<string, Result<RoutingDecision, RoutingError>>();
  if (!routing) return decisions;
  const routable = leads.map((lead) => ({
    lead,
    subject: { ...scoringSubjects(lead), companyOwner: lead.company_owner, now },
  }));
  const teams = routable.flatMap(({ subject }) => {
    const choice = chooseTeam(routing, subject);
    return choice.ok ? [choice.value.team.id] : [];
  });
  const rotations = await lockRotations(trx, workspaceId, teams);
  const unavailable = await listUnavailableReps(trx, workspaceId, now);
  const touched: Record<string, (typeof rotations)[string]> = {};
  for (const { lead, subject } of routable) {
    const decision = routeLead(routing, subject, rotations, unavailable);
    decisions.set(lead.id, decision);
    if (decision.ok && decision.value.rotation !== null) {
      rotations[decision.value.teamId] = decision.value.rotation;
      touched[decision.value.teamId] = decision.value.rotation;
    }
  }
  await saveRotations(trx, workspaceId, touched);
  return decisions;
}
