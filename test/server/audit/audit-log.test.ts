import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAYBOOK_PATH } from '../../../src/server/bootstrap-workspace.ts';
import { publishPlaybook } from '../../../src/server/playbooks/publish-playbook.ts';
import { createApiKey } from '../../../src/server/workspaces/api-keys.ts';
import { listApiKeys, revokeApiKey } from '../../../src/server/workspaces/list-and-revoke-keys.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

async function entries(action: string) {
  return t.db
    .selectFrom('audit_log')
    .select(['actor', 'target', 'details', 'at'])
    .where('workspace_id', '=', t.workspaceId)
    .where('action', '=', action)
    .execute();
}

describe('the audit log', () => {
  it('records key creation and revocation, never the key itself', async () => {
    const { key } = await createApiKey(t.db, t.workspaceId, 'secret', 'audited key', {
      role: 'rep',
      userId: 'rita@example.com',
      by: 'user:admin@example.com',
      now: t.clock.now,
    });
    const created = await entries('key.created');
    expect(created).toContainEqual(
      expect.objectContaining({
        actor: 'user:admin@example.com',
        target: 'audited key',
        details: { kind: 'secret', role: 'rep', userId: 'rita@example.com' },
      }),
    );
    const prefix = (await listApiKeys(t.db, t.workspaceId)).find((k) => k.name === 'audited key')?.prefix ?? '';
    expect(await revokeApiKey(t.db, t.workspaceId, prefix, t.clock.now, 'cli')).toMatchObject({ kind: 'revoked' });
    expect(await entries('key.revoked')).toEqual([
      { actor: 'cli', target: prefix, details: {}, at: new Date(t.clock.now) },
    ]);
    const logged = JSON.stringify(await t.db.selectFrom('audit_log').selectAll().execute());
    expect(logged).not.toContain(key);
  });

  it('records playbook publishes with their version', async () => {
    const deps = { db: t.db, playbooks: t.playbooks, clock: () => t.clock.now };
    const published = await publishPlaybook(
      deps,
      t.workspaceId,
      readFileSync(DEFAULT_PLAYBOOK_PATH, 'utf8'),
      'user:marketing@example.com',
    );
    if (!published.ok) throw new Error('the default playbook did not publish');
    await published.rescore;
    expect(await entries('playbook.published')).toContainEqual(
      expect.objectContaining({ actor: 'user:marketing@example.com', target: `version ${published.version}` }),
    );
  });

  it('records reassignments and reopenings with who did them', async () => {
    const auth = { authorization: t.secretAuth };
    const contact = await t.app.inject({
      method: 'POST',
      url: '/api/contacts',
      headers: auth,
      payload: { email: 'audited-lead@example.com' },
    });
    const id = contact.json().id;
    const act = (action: string, payload: object) =>
      t.app.inject({ method: 'POST', url: `/api/contacts/${id}/${action}`, headers: auth, payload });
    expect((await act('reassign', { owner: 'rita@example.com' })).statusCode).toBe(200);
    expect((await act('disqualify', { reason: 'spam' })).statusCode).toBe(200);
    expect((await act('reopen', {})).statusCode).toBe(200);
    const [reassigned] = await entries('lead.reassigned');
    expect(reassigned).toMatchObject({ target: id, details: { from: null, to: 'rita@example.com' } });
    expect(reassigned?.actor).toMatch(/^key:/);
    expect(await entries('lead.reopened')).toEqual([
      expect.objectContaining({ target: id, details: { from: 'disqualified' } }),
    ]);
  });
});
