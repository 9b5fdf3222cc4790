import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAYBOOK_PATH } from '../../../src/server/bootstrap-workspace.ts';
import { DAY } from '../../helpers/time.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

const iso = (ms: number) => new Date(ms).toISOString();
let sequence = 0;
const id = () => `flow-${++sequence}`;

async function identifyAtCompany(
  userId: string,
  traits: Record<string, unknown>,
  company: Record<string, unknown> | null,
) {
  const batch: object[] = [{ type: 'identify', userId, messageId: id(), traits }];
  if (company) batch.push({ type: 'group', userId, groupId: String(company.domain), messageId: id(), traits: company });
  const response = await t.send('/v1/batch', { batch });
  expect(response.json().errors).toEqual([]);
}

async function contact(userId: string) {
  const row = await t.db.selectFrom('contacts').select('id').where('user_id', '=', userId).executeTakeFirstOrThrow();
  const response = await t.get(`/api/contacts/${row.id}`);
  expect(response.statusCode).toBe(200);
  return response.json();
}

const sum = (lines: Array<{ points: number }>) =>
  Math.round(lines.reduce((total, line) => total + line.points * 100, 0));

describe('qualification by the default playbook', () => {
  it('moves a good-fit, engaged lead to MQL by criteria and records why', async () => {
    await identifyAtCompany(
      'vp',
      { email: 'vp@acme-soft.com', title: 'VP Marketing', seniority: 'executive', role: 'marketing' },
      {
        domain: 'acme-soft.com',
        name: 'Acme Soft',
        industry: 'Software',
        employees: 800,
      },
    );
    let current = await contact('vp');
    expect(current.stage).toBe('lead');
    expect(current.grade).toBe('A');
    const now = t.clock.now;
    const batch = [
      ...[0, 1, 2, 3, 4, 5].map((d) => ({
        type: 'page',
        userId: 'vp',
        messageId: id(),
        timestamp: iso(now - d * DAY),
        properties: { path: '/product', duration: 200 },
      })),
      { type: 'track', userId: 'vp', messageId: id(), event: 'Webinar Attended', timestamp: iso(now - 2 * DAY) },
      { type: 'track', userId: 'vp', messageId: id(), event: 'Ebook Downloaded', timestamp: iso(now - 3 * DAY) },
      { type: 'track', userId: 'vp', messageId: id(), event: 'Trial Started', timestamp: iso(now - 1 * DAY) },
    ];
    await t.send('/v1/batch', { batch });
    current = await contact('vp');
    expect(current.engagement).toBeGreaterThanOrEqual(50);
    expect(current.stage).toBe('mql');
    expect(current.stageEnteredAt.mql).toBe(iso(now));
    const history = (await t.get(`/api/contacts/${current.id}/history`)).json().items;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      from: 'lead',
      to: 'mql',
      rule: 'good-fit-engaged',
      transition: 'qualify-mql',
      playbookVersion: 1,
    });
    expect(history[0].scoreSnapshot).toMatchObject({ grade: 'A', fit: current.fit, playbookVersion: 1 });
  });

  it('fast-tracks a hand-raiser with enough fit, whatever the engagement', async () => {
    await identifyAtCompany(
      'raiser',
      { email: 'dev@mid-corp.io', title: 'Software Engineer', role: 'engineering' },
      {
        domain: 'mid-corp.io',
        industry: 'Retail',
        employees: 120,
      },
    );
    await t.send('/v1/track', { userId: 'raiser', messageId: id(), event: 'Demo Requested' });
    const raised = await contact('raiser');
    // Fit 39 is below the criteria's 50 but above the fast lane's 30.
    expect(raised.fit).toBe(39);
    expect(raised.stage).toBe('mql');
    const history = (await t.get(`/api/contacts/${raised.id}/history`)).json().items;
    expect(history[0]).toMatchObject({ transition: 'hand-raise', rule: 'demo-request' });
  });

  it('keeps a low-fit hand-raiser out of the fast lane', async () => {
    await identifyAtCompany('student', { email: 'kid@gmail.com', title: 'Student' }, null);
    await t.send('/v1/track', { userId: 'student', messageId: id(), event: 'Demo Requested' });
    const student = await contact('student');
    expect(student.fit).toBeLessThan(30);
    expect(student.stage).toBe('lead');
  });

  it('explains every score exactly: lines sum to the totals', async () => {
    for (const userId of ['vp', 'raiser', 'student']) {
      const current = await contact(userId);
      const explanation = (await t.get(`/api/contacts/${current.id}/score`)).json();
      expect(sum(explanation.fit.lines)).toBe(Math.round(explanation.fit.points * 100));
      expect(sum(explanation.engagement.lines)).toBe(Math.round(explanation.engagement.points * 100));
      expect(explanation.fit.points).toBe(current.fit);
      expect(explanation.engagement.points).toBe(current.engagement);
    }
  });

  it('rescores fit at once when a contact is edited through the API', async () => {
    const student = await contact('student');
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/contacts/${student.id}`,
      headers: { authorization: t.secretAuth },
      payload: { jobTitle: 'Head of Growth', email: 'grown@startup.dev' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().fit).toBeGreaterThan(student.fit);
    // Fit 50 now, but the demo request's 40 points are short of the criteria's 50, and the
    // fast lane only opens on a new hand-raising event: the lead stays a lead.
    expect(response.json()).toMatchObject({ fit: 50, engagement: 40, stage: 'lead' });
    const clash = await t.app.inject({
      method: 'PATCH',
      url: `/api/contacts/${student.id}`,
      headers: { authorization: t.secretAuth },
      payload: { email: 'vp@acme-soft.com' },
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('duplicate_contact');
    const cleared = await t.app.inject({
      method: 'PATCH',
      url: `/api/contacts/${student.id}`,
      headers: { authorization: t.secretAuth },
      payload: { phone: null, jobTitle: 'Head of Growth' },
    });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().phone).toBeNull();
  });

  it('clears company numbers with null instead of storing 0', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/companies',
      headers: { authorization: t.secretAuth },
      payload: { domain: 'numbers.example', employees: 250, annualRevenue: 1_000_000, foundedYear: 2010 },
    });
    expect(created.statusCode).toBe(201);
    const cleared = await t.app.inject({
      method: 'PATCH',
      url: `/api/companies/${created.json().id}`,
      headers: { authorization: t.secretAuth },
      payload: { employees: null, annualRevenue: null, foundedYear: null },
    });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json()).toMatchObject({ employees: null, annualRevenue: null, foundedYear: null });
    // Numbers sent as text are still read as numbers.
    const text = await t.app.inject({
      method: 'PATCH',
      url: `/api/companies/${created.json().id}`,
      headers: { authorization: t.secretAuth },
      payload: { employees: '40' },
    });
    expect(text.json().employees).toBe(40);
  });

  it('filters and pages contacts by score', async () => {
    const all = (await t.get('/api/contacts?limit=500')).json().items;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = (
        await t.get(`/api/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((item: { id: string }) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((item: { id: string }) => item.id));
    const scores = all.map((item: { score: number }) => item.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const mqls = (await t.get('/api/contacts?stage=mql')).json().items;
    expect(mqls.map((item: { userId: string }) => item.userId).sort()).toEqual(['raiser', 'vp']);
    expect((await t.get('/api/contacts?cursor=garbage')).json().error.code).toBe('invalid_cursor');
  });

  it('refuses an invalid playbook with line-numbered issues, and publishing a valid one rescores everyone', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/playbook/publish',
      headers: { authorization: t.secretAuth },
      payload: { source: 'name: x\nfit:\n  grades: { A: 70, B: 50, C: 30 }\n  groups: []\n' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.length).toBeGreaterThan(0);
    const original = readFileSync(DEFAULT_PLAYBOOK_PATH, 'utf8');
    const source = original.replace('fit >= 50 and engagement >= 50', 'fit >= 50 and engagement >= 5');
    expect(source).not.toBe(original);
    const published = await t.app.inject({
      method: 'POST',
      url: '/api/playbook/publish',
      headers: { authorization: t.secretAuth },
      payload: { source },
    });
    expect(published.statusCode).toBe(202);
    expect(published.json().version).toBe(2);
    for (let i = 0; i < 100; i++) {
      const run = await t.db
        .selectFrom('rescore_runs')
        .select('status')
        .where('playbook_version', '=', 2)
        .executeTakeFirst();
      if (run?.status === 'done') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const all = (await t.get('/api/contacts?limit=500')).json().items;
    expect(all.every((item: { playbookVersion: number }) => item.playbookVersion === 2)).toBe(true);
    // The edited lead (fit 50, engagement 40) meets the looser criterion: rescoring qualifies it, under version 2.
    const student = await contact('student');
    expect(student.stage).toBe('mql');
    const history = (await t.get(`/api/contacts/${student.id}/history`)).json().items;
    expect(history.at(-1)).toMatchObject({ from: 'lead', to: 'mql', rule: 'good-fit-engaged', playbookVersion: 2 });
  });
});
