import type { HandoffView } from '../../core/handoff/handoff-view.ts';
import { fromCenti } from '../../core/scoring/points.ts';
import type { Db } from '../db/open-database.ts';

export type { HandoffView };

const iso = (value: Date | null) => value?.toISOString() ?? null;

/** Hand-offs by deadline (soonest first), for the inbox and for a contact's page. */
export async function listHandoffs(
  db: Db,
  workspaceId: string,
  filter: { owner?: string; team?: string; status?: string; breached?: boolean; contactId?: string; limit?: number },
): Promise<HandoffView[]> {
  let query = db
    .selectFrom('handoffs as h')
    .innerJoin('contacts as c', (join) =>
      join.onRef('c.workspace_id', '=', 'h.workspace_id').onRef('c.id', '=', 'h.contact_id'),
    )
    .leftJoin('companies as co', (join) =>
      join.onRef('co.workspace_id', '=', 'c.workspace_id').onRef('co.id', '=', 'c.company_id'),
    )
    .selectAll('h')
    .select([
      'c.email',
      'c.first_name',
      'c.last_name',
      'c.job_title',
      'c.stage',
      'c.score',
      'c.grade',
      'c.temperature',
      'co.name as company_name',
    ])
    .where('h.workspace_id', '=', workspaceId);
  if (filter.owner !== undefined) query = query.where('h.owner', '=', filter.owner);
  if (filter.team !== undefined) query = query.where('h.team_id', '=', filter.team);
  if (filter.status !== undefined) query = query.where('h.status', '=', filter.status as 'open');
  if (filter.breached !== undefined) query = query.where('h.breached_at', filter.breached ? 'is not' : 'is', null);
  if (filter.contactId !== undefined) query = query.where('h.contact_id', '=', filter.contactId);
  const rows = await query
    .orderBy('h.due_at')
    .orderBy('h.id')
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
    contact: {
      email: row.email,
      firstName: row.first_name,
      lastName: row.last_name,
      jobTitle: row.job_title,
      company: row.company_name,
      stage: row.stage,
      score: fromCenti(row.score),
      grade: row.grade,
      temperature: row.temperature,
    },
  }));
}
