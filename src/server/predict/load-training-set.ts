import { sql } from 'kysely';
import type { Db } from '../db/open-database.ts';
import type { FeatureTarget } from './load-contact-features.ts';

/** A contact whose outcome is known: won (1), or lost or disqualified (0). */
export interface LabelledTarget extends FeatureTarget {
  label: 0 | 1;
  decidedAt: Date;
}

/**
 * The workspace's known outcomes: a `won` outcome is positive; a `lost` outcome or a
 * disqualification without a win is negative. Each is read as of its first move into `mql`
 * (when sales got it), or as of its decision when it never was an MQL (an imported deal),
 * so no feature sees what happened after the hand-off. Oldest decision first.
 */
export async function loadTrainingSet(db: Db, workspaceId: string): Promise<LabelledTarget[]> {
  const result = await sql<{ contact_id: string; won: boolean; decided_at: Date; as_of: Date }>`
    with decided as (
      select contact_id, kind = 'won' as won, at from outcomes
      where workspace_id = ${workspaceId} and kind in ('won', 'lost')
      union all
      select contact_id, false, at from stage_history
      where workspace_id = ${workspaceId} and to_stage = 'disqualified'
    ),
    labelled as (
      select contact_id, bool_or(won) as won,
        coalesce(min(at) filter (where won), min(at)) as decided_at
      from decided group by contact_id
    ),
    first_mql as (
      select contact_id, min(at) as at from stage_history
      where workspace_id = ${workspaceId} and to_stage = 'mql'
        and contact_id in (select contact_id from labelled)
      group by contact_id
    )
    select l.contact_id, l.won, l.decided_at, least(coalesce(m.at, l.decided_at), l.decided_at) as as_of
    from labelled l
    join contacts c on c.workspace_id = ${workspaceId} and c.id = l.contact_id
    left join first_mql m on m.contact_id = l.contact_id
    order by l.decided_at, l.contact_id`.execute(db);
  return result.rows.map((row) => ({
    contactId: row.contact_id,
    label: row.won ? 1 : 0,
    decidedAt: new Date(row.decided_at),
    asOf: new Date(row.as_of),
  }));
}
