import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

async function call(method: 'POST' | 'PATCH' | 'GET', url: string, payload?: object) {
  return t.app.inject({ method, url, headers: { authorization: t.secretAuth }, payload });
}

describe('contacts and companies before a playbook is published', () => {
  it('saves both unscored, as ingestion does, and says what to do when asked for a score', async () => {
    await t.db.deleteFrom('playbook_versions').where('workspace_id', '=', t.workspaceId).execute();
    t.playbooks.invalidate(t.workspaceId);

    const company = await call('POST', '/api/companies', { domain: 'unscored.example', employees: 300 });
    expect(company.statusCode).toBe(201);
    const created = await call('POST', '/api/contacts', {
      email: 'first@unscored.example',
      jobTitle: 'VP Marketing',
      companyId: company.json().id,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ stage: 'lead', playbookVersion: null, scoredAt: null });
    const patched = await call('PATCH', `/api/contacts/${created.json().id}`, { lastName: 'Later' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ lastName: 'Later', playbookVersion: null });
    expect((await call('PATCH', `/api/companies/${company.json().id}`, { employees: 400 })).statusCode).toBe(200);

    const score = await call('GET', `/api/contacts/${created.json().id}/score`);
    expect(score.statusCode).toBe(409);
    expect(score.json().error).toMatchObject({ code: 'no_playbook', message: expect.stringContaining('publish') });
  });
});
