import { sql } from 'kysely';
import type { Db } from '../db/open-database.ts';

/** A company a sweep took: the endpoint is asked about it now. */
export interface ClaimedCompany {
  id: string;
  domain: string | null;
  attempts: number;
}

/**
 * Takes up to `limit` companies that are due for enrichment at `now` — never tried (status
 * null) or due for a retry — oldest first, and leases them until `leaseUntil` in the same
 * statement, which commits on its own: no transaction stays open while the endpoint is asked.
 * SKIP LOCKED and the lease (the due time moves forward) keep two sweeps from taking the same
 * company; one that was taken by a sweep that died is due again when the lease runs out.
 * The claim is a materialized CTE so that it runs exactly once (see markDue in sweep-sla.ts).
 */
export async function claimCompaniesToEnrich(
  db: Db,
  workspaceId: string,
  now: number,
  leaseUntil: number,
  limit: number,
): Promise<ClaimedCompany[]> {
  const result = await sql<{ id: string; domain: string | null; attempts: number; created_at: Date }>`
    with due as materialized (
      select workspace_id, id from companies
      where workspace_id = ${workspaceId}
        and (enrichment_status is null or enrichment_status = 'retry')
        and (enrichment_due_at is null or enrichment_due_at <= ${new Date(now).toISOString()}::timestamptz)
      order by created_at, id
      limit ${limit}
      for update skip locked
    )
    update companies c set enrichment_due_at = ${new Date(leaseUntil).toISOString()}::timestamptz
    from due where c.workspace_id = due.workspace_id and c.id = due.id
    returning c.id, c.domain, c.enrichment_attempts as attempts, c.created_at`.execute(db);
  return result.rows
    .sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : 1))
    .map(({ id, domain, attempts }) => ({ id, domain, attempts }));
}
