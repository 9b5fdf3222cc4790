import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handoffDriver } from '../handoff/handoff-helpers.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();
const drive = handoffDriver(t);
const DEFAULT = readFileSync(new URL('../../../playbooks/default.yaml', import.meta.url), 'utf8');

async function post(url: string, payload: object, auth = t.secretAuth) {
  return t.app.inject({ method: 'POST', url, payload, headers: { authorization: auth } });
}

describe('the playbook for the web app', () => {
  it('tries a draft on a contact beside the published explanation, without publishing it', async () => {
    const contactId = await drive.handRaiser('try-1', { email: 'try-1@acme.example' });
    const draft = DEFAULT.replace(/(id: demo-request[\s\S]*?points: )40/, '$155');
    expect(draft).not.toBe(DEFAULT);
    const tried = await post('/api/playbook/try', { source: draft, contactId });
    expect(tried.statusCode).toBe(200);
    const { valid, draft: withDraft, current } = tried.json();
    expect(valid).toBe(true);
    const line = (explanation: { engagement: { lines: Array<{ rule?: string; rawPoints?: number }> } }) =>
      explanation.engagement.lines.find((each) => each.rule === 'demo-request');
    expect(line(current)?.rawPoints).toBe(40);
    expect(line(withDraft)?.rawPoints).toBe(55);
    expect((await t.get('/api/playbook')).json().version).toBe(1);
    const broken = await post('/api/playbook/try', { source: 'fit: [', contactId });
    expect(broken.json().valid).toBe(false);
    expect(broken.json().issues[0].line).toBe(1);
  });

  it('lists versions, shows an old one, records who published, and reports the rescoring', async () => {
    const published = await post('/api/playbook/publish', { source: DEFAULT.replace('name:', 'name: v2 -') });
    expect(published.statusCode).toBe(202);
    const versions = (await t.get('/api/playbook/versions')).json().items;
    expect(versions.map((item: { version: number }) => item.version)).toEqual([2, 1]);
    expect(versions[0].publishedBy).toMatch(/^key:/);
    const first = await t.get('/api/playbook/versions/1');
    expect(first.json().source).toBe(DEFAULT);
    expect((await t.get('/api/playbook/versions/99')).statusCode).toBe(404);
    await expect
      .poll(async () => (await t.get('/api/playbook/rescoring')).json()?.status, { timeout: 20_000 })
      .toBe('done');
    const run = (await t.get('/api/playbook/rescoring')).json();
    expect(run.version).toBe(2);
    expect(run.processed).toBe(run.total);
  });

  it('lets a rep read the rules but not try or publish a draft', async () => {
    const rep = await drive.key('rep', 'reader@example.com');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/playbook', headers: { authorization: rep } })).statusCode,
    ).toBe(200);
    const contactId = await drive.handRaiser('try-2');
    expect((await post('/api/playbook/try', { source: DEFAULT, contactId }, rep)).statusCode).toBe(403);
    expect((await post('/api/playbook/publish', { source: DEFAULT }, rep)).statusCode).toBe(403);
  });
});
