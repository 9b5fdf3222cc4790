import { compilePlaybook } from '../../core/playbook/compile-playbook.ts';
import type { PlaybookIssue } from '../../core/playbook/parse-playbook.ts';
import type { PlaybookStore } from '../../core/playbook/playbook-store.ts';
import type { Db } from '../db/open-database.ts';
import { type RescoreProgress, rescoreWorkspace } from '../scoring/rescore-workspace.ts';
import { publishPlaybookVersion } from './playbook-store.ts';

export type PublishResult =
  | { ok: true; version: number; rescore: Promise<RescoreProgress> }
  | { ok: false; issues: PlaybookIssue[] };

/**
 * Publishes a new immutable playbook version and starts rescoring every contact under it.
 * The returned promise settles when rescoring is done; an interrupted rescoring resumes
 * via `resumeRescoring`.
 */
export async function publishPlaybook(
  deps: { db: Db; playbooks: PlaybookStore; clock: () => number },
  workspaceId: string,
  source: string,
  publishedBy: string,
  onProgress?: (progress: RescoreProgress) => void,
): Promise<PublishResult> {
  const published = await publishPlaybookVersion(deps.db, workspaceId, source, publishedBy, deps.clock());
  if (!published.ok) return { ok: false, issues: published.error };
  deps.playbooks.invalidate(workspaceId);
  const compiled = compilePlaybook(published.value.playbook, published.value.version);
  const rescore = rescoreWorkspace(deps.db, workspaceId, compiled, deps.clock, { onProgress });
  return { ok: true, version: published.value.version, rescore };
}

/** Finishes rescoring runs that a stopped process left unfinished (latest version only). */
export async function resumeRescoring(deps: {
  db: Db;
  playbooks: PlaybookStore;
  clock: () => number;
}): Promise<number> {
  const runs = await deps.db
    .selectFrom('rescore_runs')
    .select(['workspace_id', 'playbook_version'])
    .where('status', '=', 'running')
    .execute();
  let resumed = 0;
  for (const run of runs) {
    const active = await deps.playbooks.active(run.workspace_id);
    if (!active || active.version !== run.playbook_version) {
      await deps.db
        .updateTable('rescore_runs')
        .set({ status: 'done', finished_at: new Date(deps.clock()) })
        .where('workspace_id', '=', run.workspace_id)
        .where('playbook_version', '=', run.playbook_version)
        .execute();
      continue;
    }
    await rescoreWorkspace(deps.db, run.workspace_id, active, deps.clock);
    resumed++;
  }
  return resumed;
}
