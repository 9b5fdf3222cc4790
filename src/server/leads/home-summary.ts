import { sql } from 'kysely';
import { DAY_MS as DAY } from '../../core/handoff/zoned-time.ts';
import { STAGES } from '../../core/lifecycle/stages.ts';
import type { Db } from '../db/open-database.ts';
import { type HandoffView, listHandoffs } from '../handoff/list-handoffs.ts';
import { SOURCE_LABEL, touchesOf } from '../insight/touches.ts';
import type { KeyIdentity } from '../workspaces/api-keys.ts';

export interface SlaByOwner {
  owner: string;
  /** Hand-offs whose deadline fell in the last 7 days. */
  due: number;
  /** Of those, touched by the deadline. */
  inTime: number;
  breached: number;
}

export interface HomeSummary {
  stages: Record<string, number>;
  mqls: { last7Days: number; previous7Days: number };
  /** The last 7 days' new MQLs by first-touch source as the funnel reports read it (UTM tags or campaign, else the referring site, else `direct`). */
  mqlsBySource: Array<{ source: string; count: number }>;
  /** The caller's own open hand-offs, soonest deadline first (people who work leads). */
  myHandoffs: HandoffView[];
  myBreached: number;
  /** SLA compliance per owner over the last 7 days (managers and admins). */
  sla: SlaByOwner[];
}

/** What needs attention today, for the home page; each figure has a list behind it. */
export async function loadHomeSummary(db: Db, identity: KeyIdentity, now: number): Promise<HomeSummary> {
  const workspaceId = identity.workspaceId;
  const weekAgo = new Date(now - 7 * DAY);
  const twoWeeksAgo = new Date(now - 14 * DAY);
  const stageRows = await db
    .selectFrom('contacts')
    .select(['stage', (eb) => eb.fn.countAll<string | number>().as('count')])
    .where('workspace_id', '=', workspaceId)
    .groupBy('stage')
    .execute();
  const stages: Record<string, number> = Object.fromEntries(STAGES.map((stage) => [stage, 0]));
  for (const row of stageRows) stages[row.stage] = Number(row.count);
  const mqlRows = await db
    .selectFrom('stage_history')
    .select([
      (eb) => eb.fn.countAll<string | number>().filterWhere('at', '>=', weekAgo).as('recent'),
      (eb) => eb.fn.countAll<string | number>().filterWhere('at', '<', weekAgo).as('before'),
    ])
    .where('workspace_id', '=', workspaceId)
    .where('to_stage', '=', 'mql')
    .where('at', '>=', twoWeeksAgo)
    .where('at', '<=', new Date(now))
    .executeTakeFirst();
  const mqlsBySource = await firstTouchSources(db, workspaceId, weekAgo, new Date(now));
  const works = identity.role === 'rep' || identity.role === 'manager' || identity.role === 'admin';
  const myHandoffs =
    works && identity.userId
      ? await listHandoffs(db, workspaceId, { owner: identity.userId, status: 'open', limit: 8 })
      : [];
  const myBreached =
    works && identity.userId
      ? Number(
          (
            await db
              .selectFrom('handoffs')
              .select((eb) => eb.fn.countAll<string | number>().as('count'))
              .where('workspace_id', '=', workspaceId)
              .where('owner', '=', identity.userId)
              .where('status', '=', 'open')
              .where('breached_at', 'is not', null)
              .executeTakeFirst()
          )?.count ?? 0,
        )
      : 0;
  const sla =
    identity.role === 'manager' || identity.role === 'admin'
      ? await slaByOwner(db, workspaceId, weekAgo, new Date(now))
      : [];
  return {
    stages,
    mqls: { last7Days: Number(mqlRows?.recent ?? 0), previous7Days: Number(mqlRows?.before ?? 0) },
    mqlsBySource,
    myHandoffs,
    myBreached,
    sla,
  };
}

async function slaByOwner(db: Db, workspaceId: string, from: Date, to: Date): Promise<SlaByOwner[]> {
  const rows = await db
    .selectFrom('handoffs')
    .select([
      'owner',
      (eb) => eb.fn.countAll<string | number>().as('due'),
      (eb) =>
        eb.fn
          .countAll<string | number>()
          .filterWhere((w) => w.and([w('first_touch_at', 'is not', null), w('first_touch_at', '<=', w.ref('due_at'))]))
          .as('in_time'),
      (eb) => eb.fn.countAll<string | number>().filterWhere('breached_at', 'is not', null).as('breached'),
    ])
    .where('workspace_id', '=', workspaceId)
    .where('due_at', '>=', from)
    .where('due_at', '<', to)
    .groupBy('owner')
    .orderBy('owner')
    .execute();
  return rows.map((row) => ({
    owner: row.owner,
    due: Number(row.due),
    inTime: Number(row.in_time),
    breached: Number(row.breached),
  }));
}

/**
 * Where the people who became MQLs between `from` and `to` first came from: the source of their
 * first touch (tags, campaign context or referring site, as the funnel reports read it), `direct`
 * without one, from each person's row of touches (migration 0020).
 */
async function firstTouchSources(
  db: Db,
  workspaceId: string,
  from: Date,
  to: Date,
): Promise<Array<{ source: string; count: number }>> {
  const result = await sql<{ source: string; count: string | number }>`
    with leads as (
      select distinct contact_id from stage_history
      where workspace_id = ${workspaceId} and to_stage = 'mql' and at >= ${from} and at <= ${to}
    ),
    first_touch as (${touchesOf(workspaceId, 'first', { amongLeads: true })})
    select ${SOURCE_LABEL} as source, count(*) as count
    from leads l left join first_touch t on t.contact_id = l.contact_id
    group by 1 order by 2 desc, 1`.execute(db);
  return result.rows.map((row) => ({ source: row.source, count: Number(row.count) }));
}
