import type { Db } from '../db/open-database.ts';

export interface HandoffView {
  id: string;
  contactId: string;
  owner: string;
  teamId: string | null;
  status: string;
  closedReason: string | null;
  qualifiedAt: string;
  warnAt: string;
  dueAt: string;
  warnedAt: string | null;
  breachedAt: string | null;
  escalationStep: number;
  firstTouchAt: string | null;
  touchChannel: string | null;
}

const iso = (value: Date | null) => value?.toISOString() ?? null;

/** Hand-offs by deadline (soonest first), for the inbox and for a contact's page. */
export async function listHandoffs(
  db: Db,
  workspaceId: string,
  filter: { owner?: string; status?: string; breached?: boolean; contactId?: string; limit?: number },
): Promise<HandoffView[]> {
  let query = db.selectFrom('handoffs').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.owner !== undefined) query = query.where('owner', '=', filter.owner);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status as 'open');
  if (filter.breached !== undefined) query = query.where('breached_at', filter.breached ? 'is not' : 'is', null);
  if (filter.contactId !== undefined) query = query.where('contact_id', '=', filter.contactId);
  const rows = await query
    .orderBy('due_at')
    .orderBy('id')
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    contactId: row.contact_id,
    owner: row.owner,
    teamId: row.team_id,
    status: row.status,
    closedReason: row.closed_reason,
    qualifiedAt: row.qualified_at.toISOString(),
    warnAt: row.warn_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    warnedAt: iso(row.warned_at),
    breachedAt: iso(row.breached_at),
    escalationStep: row.escalation_step,
    firstTouchAt: iso(row.first_touch_at),
    touchChannel: row.touch_channel,
  }));
}
