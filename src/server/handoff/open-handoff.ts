import { sql } from 'kysely';
import type { HandoffPolicy } from '../../core/handoff/resolve-handoff.ts';
import { computeSlaDeadlines } from '../../core/handoff/sla-deadlines.ts';
import { anyUuid, jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { type LeadRow, leadPayload } from '../lifecycle/load-leads.ts';
import { enqueueWebhooks } from '../webhooks/enqueue-webhooks.ts';

export interface Assignment {
  lead: LeadRow;
  owner: string;
  teamId: string | null;
  explanation: string;
  /** Why a hand-off still open for the lead is closed (default `replaced`). */
  closedReason?: string;
  /** Escalation ladder position carried over from a reassigned hand-off. */
  escalationStep?: number;
  /**
   * When the lead qualified (the converting event's time; default `now`). The clock starts
   * there, unless its deadline had already passed when Ripen learned of it (history imported
   * or sent late): then it starts at `now`, so backfills do not open hand-offs already breached.
   */
  qualifiedAt?: number;
}

/**
 * Gives leads to their owners and starts each first-touch clock when the lead qualified: owner and team on
 * the contact, an open hand-off row holding the warning and due instants for the SLA sweep,
 * and `lead.assigned` in the outbox. Hand-offs still open for those leads are closed. Four
 * statements however many leads (a scoring batch can qualify hundreds at once).
 */
export async function openHandoffs(
  trx: Db,
  workspaceId: string,
  policy: HandoffPolicy,
  now: number,
  assignments: readonly Assignment[],
): Promise<void> {
  if (assignments.length === 0) return;
  const at = new Date(now);
  const clocks = assignments.map((assignment) => {
    const qualifiedAt = Math.min(assignment.qualifiedAt ?? now, now);
    const fromEvent = computeSlaDeadlines(policy.sla, qualifiedAt);
    return fromEvent.dueAt > now
      ? { start: qualifiedAt, ...fromEvent }
      : { start: now, ...computeSlaDeadlines(policy.sla, now) };
  });
  const rows = assignments.map((assignment, index) => ({
    contact_id: assignment.lead.id,
    owner: assignment.owner,
    team_id: assignment.teamId,
    closed_reason: assignment.closedReason ?? 'replaced',
    escalation_step: assignment.escalationStep ?? 0,
    qualified_at: new Date(clocks[index]?.start ?? now).toISOString(),
    warn_at: new Date(clocks[index]?.warnAt ?? now).toISOString(),
    due_at: new Date(clocks[index]?.dueAt ?? now).toISOString(),
  }));
  await sql`update handoffs as h set status = 'closed', closed_reason = v.closed_reason
    from jsonb_to_recordset(${jsonRows(rows)}) as v(contact_id uuid, closed_reason text)
    where h.workspace_id = ${workspaceId} and h.status = 'open'
      and h.contact_id = ${anyUuid(rows.map((row) => row.contact_id))} and h.contact_id = v.contact_id`.execute(trx);
  await sql`update contacts as c set owner = v.owner, team_id = v.team_id, updated_at = ${at}
    from jsonb_to_recordset(${jsonRows(rows)}) as v(contact_id uuid, owner text, team_id text)
    where c.workspace_id = ${workspaceId} and c.id = v.contact_id`.execute(trx);
  await sql`insert into handoffs (workspace_id, contact_id, owner, team_id, qualified_at, warn_at, due_at, escalation_step)
    select ${workspaceId}, v.contact_id, v.owner, v.team_id, v.qualified_at, v.warn_at, v.due_at, v.escalation_step
    from jsonb_to_recordset(${jsonRows(rows)}) as v(contact_id uuid, owner text, team_id text, escalation_step integer,
      qualified_at timestamptz, warn_at timestamptz, due_at timestamptz)`.execute(trx);
  await enqueueWebhooks(
    trx,
    workspaceId,
    assignments.map((assignment, index) => ({
      type: 'lead.assigned' as const,
      data: {
        lead: leadPayload(assignment.lead, { owner: assignment.owner }),
        owner: assignment.owner,
        teamId: assignment.teamId,
        explanation: assignment.explanation,
        firstTouchDueAt: rows[index]?.due_at,
        warnAt: rows[index]?.warn_at,
      },
    })),
    now,
  );
}
