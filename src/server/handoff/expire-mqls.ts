import { sql } from 'kysely';
import { resolveHandoff } from '../../core/handoff/resolve-handoff.ts';
import type { PlaybookStore } from '../../core/playbook/playbook-store.ts';
import { withRetry } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { loadLeads } from '../lifecycle/load-leads.ts';
import { moveLead } from './move-lead.ts';

/**
 * MQLs nobody accepted within the playbook's `mqlExpiry` go back to nurture, by rule: an
 * idempotent sweep at `now`, in batches, skipping leads someone is working on this instant.
 */
export async function expireMqls(
  deps: { db: Db; playbooks: PlaybookStore },
  workspaceId: string,
  now: number,
  batchSize = 500,
): Promise<number> {
  const playbook = await deps.playbooks.active(workspaceId);
  if (playbook === null) return 0;
  const policy = resolveHandoff(playbook.document);
  const expiry = policy.mqlExpiry;
  if (expiry === null) return 0;
  const cutoff = new Date(now - expiry.afterMs).toISOString();
  let total = 0;
  for (;;) {
    const done = await withRetry(() =>
      deps.db.transaction().execute(async (trx) => {
        const due = await sql<{ id: string }>`
          select id from contacts
          where workspace_id = ${workspaceId} and stage = 'mql' and (stage_entered_at ->> 'mql')::timestamptz <= ${cutoff}::timestamptz
          order by id limit ${batchSize}`.execute(trx);
        const leads = await loadLeads(
          trx,
          workspaceId,
          due.rows.map((row) => row.id),
          'skip',
        );
        const context = {
          workspaceId,
          playbookVersion: playbook.version,
          policy,
          now,
          actor: 'rule:mql-expiry',
          reason: expiry.reason,
        };
        for (const lead of leads) {
          if (lead.stage !== 'mql') continue;
          await moveLead(trx, context, lead, {
            kind: 'recycle',
            reason: expiry.reason,
            nurtureUntil: now + expiry.nurtureForMs,
            allowedReasons: policy.reasons.recycle,
          });
        }
        return { seen: due.rows.length, moved: leads.length };
      }),
    );
    total += done.moved;
    if (done.seen < batchSize || done.moved === 0) return total;
  }
}
