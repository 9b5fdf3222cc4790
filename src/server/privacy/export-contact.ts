import { getContact } from '../contacts/list-contacts.ts';
import type { Db } from '../db/open-database.ts';

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

/**
 * Everything Ripen holds about one contact, as one JSON document (the answer to a data
 * subject's access request, docs/privacy.md): the contact with its scores, stage and
 * qualification, its company's name and domain, consents, anonymous ids, every event, the
 * stage history, hand-offs and outcomes. Null when the workspace has no such contact.
 */
export async function exportContactData(
  db: Db,
  workspaceId: string,
  contactId: string,
  now: number,
): Promise<Record<string, unknown> | null> {
  const contact = await getContact(db, workspaceId, contactId);
  if (!contact) return null;
  const scope = { workspace: workspaceId, contact: contactId };
  const [company, consents, anonymousIds, events, stageHistory, handoffs, outcomes] = await Promise.all([
    contact.companyId === null
      ? Promise.resolve(undefined)
      : db
          .selectFrom('companies')
          .select(['id', 'name', 'domain'])
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', contact.companyId)
          .executeTakeFirst(),
    db
      .selectFrom('contact_consents')
      .select(['purpose', 'granted', 'at', 'source', 'recorded_by'])
      .where('workspace_id', '=', scope.workspace)
      .where('contact_id', '=', scope.contact)
      .orderBy('purpose')
      .execute(),
    db
      .selectFrom('anonymous_ids')
      .select(['anonymous_id', 'linked_at'])
      .where('workspace_id', '=', scope.workspace)
      .where('contact_id', '=', scope.contact)
      .orderBy('linked_at')
      .execute(),
    db
      .selectFrom('events')
      .select(['message_id', 'type', 'name', 'anonymous_id', 'user_id', 'properties', 'context', 'source'])
      .select(['occurred_at', 'received_at'])
      .where('workspace_id', '=', scope.workspace)
      .where('contact_id', '=', scope.contact)
      .orderBy('occurred_at')
      .orderBy('message_id')
      .execute(),
    db
      .selectFrom('stage_history')
      .select(['from_stage', 'to_stage', 'at', 'actor', 'transition', 'rule', 'reason', 'playbook_version'])
      .where('workspace_id', '=', scope.workspace)
      .where('contact_id', '=', scope.contact)
      .orderBy('at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('handoffs')
      .select(['owner', 'team_id', 'status', 'closed_reason', 'qualified_at', 'due_at', 'breached_at'])
      .select(['first_touch_at', 'touch_channel', 'created_at'])
      .where('workspace_id', '=', scope.workspace)
      .where('contact_id', '=', scope.contact)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('outcomes')
      .select(['kind', 'reason', 'amount', 'currency', 'external_id', 'at', 'actor'])
      .where('workspace_id', '=', scope.workspace)
      .where('contact_id', '=', scope.contact)
      .orderBy('at')
      .execute(),
  ]);
  return {
    exportedAt: new Date(now).toISOString(),
    contact,
    company: company ?? null,
    consents: consents.map((consent) => ({
      purpose: consent.purpose,
      granted: consent.granted,
      at: iso(consent.at),
      source: consent.source,
      recordedBy: consent.recorded_by,
    })),
    anonymousIds: anonymousIds.map((link) => ({ anonymousId: link.anonymous_id, linkedAt: iso(link.linked_at) })),
    events: events.map((event) => ({
      messageId: event.message_id,
      type: event.type,
      name: event.name,
      anonymousId: event.anonymous_id,
      userId: event.user_id,
      properties: event.properties,
      context: event.context,
      source: event.source,
      occurredAt: iso(event.occurred_at),
      receivedAt: iso(event.received_at),
    })),
    stageHistory: stageHistory.map((move) => ({
      from: move.from_stage,
      to: move.to_stage,
      at: iso(move.at),
      actor: move.actor,
      transition: move.transition,
      rule: move.rule,
      reason: move.reason,
      playbookVersion: move.playbook_version,
    })),
    handoffs: handoffs.map((handoff) => ({
      owner: handoff.owner,
      teamId: handoff.team_id,
      status: handoff.status,
      closedReason: handoff.closed_reason,
      qualifiedAt: iso(handoff.qualified_at),
      dueAt: iso(handoff.due_at),
      breachedAt: iso(handoff.breached_at),
      firstTouchAt: iso(handoff.first_touch_at),
      touchChannel: handoff.touch_channel,
      createdAt: iso(handoff.created_at),
    })),
    outcomes: outcomes.map((outcome) => ({
      kind: outcome.kind,
      reason: outcome.reason,
      amount: outcome.amount,
      currency: outcome.currency,
      externalId: outcome.external_id,
      at: iso(outcome.at),
      actor: outcome.actor,
    })),
  };
}
