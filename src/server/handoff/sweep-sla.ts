import { sql } from 'kysely';
import { type HandoffPolicy, resolveHandoff } from '../../core/handoff/resolve-handoff.ts';
import type { PlaybookStore } from '../../core/playbook/playbook-store.ts';
import { withRetry } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { leadPayload, loadLeadsById } from '../lifecycle/load-leads.ts';
import { enqueueWebhooks } from '../webhooks/enqueue-webhooks.ts';
import { type DueHandoff, escalateHandoffs } from './escalate-handoffs.ts';

const ESCALATION_BATCH = 500;

export interface SweepResult {
  warned: number;
  breached: number;
  escalated: number;
}

/**
 * The SLA clock, as an idempotent sweep at `now` (no timer per lead). In batches, each its own
 * transaction: warns open hand-offs past their warning instant (a sweep that comes after the
 * deadline skips the pointless warning and breaches at once), marks those past their
 * deadline breached (scheduling the first escalation step), then runs due escalation steps.
 * Rows are claimed with SKIP LOCKED and their marks are written in the claiming transaction,
 * so two processes sweeping at once never fire the same warning, breach or step twice, and a
 * crash mid-sweep leaves the rest for the next one.
 */
export async function sweepSla(
  deps: { db: Db; playbooks: PlaybookStore },
  workspaceId: string,
  now: number,
  batchSize = 1000,
): Promise<SweepResult> {
  const playbook = await deps.playbooks.active(workspaceId);
  if (playbook === null) return { warned: 0, breached: 0, escalated: 0 };
  const policy = resolveHandoff(playbook.document);
  const result: SweepResult = { warned: 0, breached: 0, escalated: 0 };
  // Warnings and breaches never fall due twice, so a short batch means done. An escalation
  // step can make the next one due at once (e.g. notify at +0, reassign at +0), so those
  // loop until nothing is left.
  const loop = async (phase: (trx: Db) => Promise<number>, untilEmpty = false) => {
    let total = 0;
    for (;;) {
      const done = await withRetry(() => deps.db.transaction().execute(phase));
      total += done;
      if (done === 0 || (!untilEmpty && done < batchSize)) return total;
    }
  };
  result.warned = await loop((trx) => markDue(trx, workspaceId, policy, now, batchSize, 'warning'));
  result.breached = await loop((trx) => markDue(trx, workspaceId, policy, now, batchSize, 'breach'));
  // Escalations run in bounded batches: a batch's reassignments hold their teams' rotation
  // locks until commit, and routing of new MQLs waits for those locks (bench:handoff measures
  // both the catch-up and the routing latency under it).
  const escalationBatch = Math.min(batchSize, ESCALATION_BATCH);
  result.escalated = await loop(
    (trx) => escalateHandoffs(trx, { workspaceId, playbookVersion: playbook.version, policy, now }, escalationBatch),
    true,
  );
  return result;
}

async function markDue(
  trx: Db,
  workspaceId: string,
  policy: HandoffPolicy,
  now: number,
  limit: number,
  kind: 'warning' | 'breach',
): Promise<number> {
  const at = new Date(now);
  // The claim is a materialized CTE, run once. As a subquery in FROM the planner put it on the
  // inner side of a nested loop and ran it again for every outer row: with a limit of 3 over 12
  // due rows one statement marked 4 and locked 7, so a concurrent sweep skipped rows that were
  // locked but never marked and stopped short (a CI run saw 10 of 12 warnings).
  const claimed =
    kind === 'warning'
      ? await sql<DueHandoff>`
          with p as materialized (select id from handoffs
                where workspace_id = ${workspaceId} and status = 'open' and warned_at is null and warn_at <= ${at}
                  and due_at > ${at}
                order by warn_at limit ${limit} for update skip locked)
          update handoffs h set warned_at = ${at}
          from p
          where h.workspace_id = ${workspaceId} and h.id = p.id
          returning h.id, h.contact_id, h.owner, h.team_id, h.due_at, h.escalation_step`.execute(trx)
      : await sql<DueHandoff>`
          with p as materialized (select id from handoffs
                where workspace_id = ${workspaceId} and status = 'open' and breached_at is null and due_at <= ${at}
                order by due_at limit ${limit} for update skip locked)
          update handoffs h set breached_at = ${at}, warned_at = coalesce(h.warned_at, ${at}),
            next_escalation_at = case when h.escalation_step < ${policy.escalation.length}
              then h.due_at + make_interval(secs => (${JSON.stringify(policy.escalation.map((s) => s.afterMs / 1000))}::jsonb ->> h.escalation_step)::double precision)
              else null end
          from p
          where h.workspace_id = ${workspaceId} and h.id = p.id
          returning h.id, h.contact_id, h.owner, h.team_id, h.due_at, h.escalation_step`.execute(trx);
  if (claimed.rows.length === 0) return 0;
  const leads = await loadLeadsById(
    trx,
    workspaceId,
    claimed.rows.map((row) => row.contact_id),
    'none',
  );
  const type = kind === 'warning' ? 'sla.warning' : 'sla.breached';
  await enqueueWebhooks(
    trx,
    workspaceId,
    claimed.rows.flatMap((row) => {
      const lead = leads.get(row.contact_id);
      if (!lead) return [];
      const data = {
        lead: leadPayload(lead),
        handoffId: row.id,
        owner: row.owner,
        teamId: row.team_id,
        firstTouchDueAt: row.due_at.toISOString(),
      };
      return [{ type, data }];
    }),
    now,
  );
  return claimed.rows.length;
}
