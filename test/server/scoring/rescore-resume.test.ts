import { beforeAll, describe, expect, it } from 'vitest';
import { compilePlaybook } from '../../../src/core/playbook/compile-playbook.ts';
import type { Playbook } from '../../../src/core/playbook/playbook-schema.ts';
import { resumeRescoring } from '../../../src/server/playbooks/publish-playbook.ts';
import { rescoreWorkspace } from '../../../src/server/scoring/rescore-workspace.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();
beforeAll(async () => {
  const batch = Array.from({ length: 30 }, (_, i) => ({
    type: 'track',
    userId: `r-${i}`,
    messageId: `rr-${i}`,
    event: 'Email Opened',
  }));
  await t.send('/v1/batch', { batch });
});

describe('rescoring after a publish', () => {
  it('resumes an interrupted run from its saved cursor and rescores every contact once', async () => {
    const row = await t.db
      .selectFrom('playbook_versions')
      .select('document')
      .where('version', '=', 1)
      .executeTakeFirstOrThrow();
    const document = row.document as Playbook;
    await t.db
      .insertInto('playbook_versions')
      .values({
        workspace_id: t.workspaceId,
        version: 2,
        name: 'v2',
        source: '#',
        document: JSON.stringify(document),
        published_by: 'test',
      })
      .execute();
    const v2 = compilePlaybook(document, 2);
    // A first process rescores two batches of 10, then dies (simulated by stopping after them).
    const ids = (await t.db.selectFrom('contacts').select('id').orderBy('id').execute()).map((r) => r.id);
    let batches = 0;
    await expect(
      rescoreWorkspace(t.db, t.workspaceId, v2, () => t.clock.now, {
        batchSize: 10,
        onProgress: () => {
          if (++batches === 3) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const run = await t.db
      .selectFrom('rescore_runs')
      .selectAll()
      .where('playbook_version', '=', 2)
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'running', processed: 20, cursor: ids[19] });
    const before = await t.db.selectFrom('contacts').select(['id', 'playbook_version']).orderBy('id').execute();
    expect(before.filter((c) => c.playbook_version === 2)).toHaveLength(20);

    t.playbooks.invalidate(t.workspaceId);
    const resumed = await resumeRescoring({ db: t.db, playbooks: t.playbooks, clock: () => t.clock.now });
    expect(resumed).toBe(1);
    const after = await t.db
      .selectFrom('rescore_runs')
      .selectAll()
      .where('playbook_version', '=', 2)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'done', processed: ids.length, total: ids.length });
    const contacts = await t.db.selectFrom('contacts').select('playbook_version').execute();
    expect(contacts.every((c) => c.playbook_version === 2)).toBe(true);
  });
});
