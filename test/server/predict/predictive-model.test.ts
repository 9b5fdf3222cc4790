import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePlaybook } from '../../../src/core/playbook/compile-playbook.ts';
import { trainWorkspaceModel } from '../../../src/server/predict/train-workspace-model.ts';
import { writePredictions } from '../../../src/server/predict/write-predictions.ts';
import { createApiKey } from '../../../src/server/workspaces/api-keys.ts';
import { DAY } from '../../helpers/time.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { HISTORY_START, type SeededLead, seedOutcomes } from './seed-outcomes.ts';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

interface Explanation {
  probability: number;
  logOdds: number;
  baselineLogOdds: number;
  version: number;
  stored: { probability: number | null; version: number | null };
  factors: { column: string; value: string | number | null; effect: number }[];
  asOf: string;
}

describe('the predictive model on a workspace', () => {
  let t: TestApp;
  let leads: SeededLead[];
  beforeAll(async () => {
    t = await startTestApp(HISTORY_START + 120 * DAY);
  });
  afterAll(() => t.close());

  it('answers 404 with what to do before any training', async () => {
    const response = await t.get('/api/predictive/model');
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toMatchObject({
      code: 'no_model',
      message: expect.stringContaining('POST /api/predictive/train'),
    });
  });

  it('refuses below 100 outcomes, records the run, and says why', async () => {
    leads = await seedOutcomes(t.db, t.workspaceId, { decided: 60, open: 0 }, 1);
    const queued = await t.app.inject({
      method: 'POST',
      url: '/api/predictive/train',
      headers: { authorization: t.secretAuth },
    });
    expect(queued.statusCode).toBe(202);
    await t.jobs.drain();
    const run = (await t.get('/api/predictive/model')).json();
    expect(run).toMatchObject({
      version: 1,
      status: 'refused',
      outcomes: 60,
      report: null,
      message: expect.stringMatching(/^60 known outcomes; training needs at least 100/),
    });
  });

  it('trains on won and lost leads as of their hand-off, reports, and writes every probability', async () => {
    await sql`delete from outcomes`.execute(t.db);
    await sql`delete from stage_history`.execute(t.db);
    await sql`delete from events`.execute(t.db);
    await sql`delete from contacts`.execute(t.db);
    leads = await seedOutcomes(t.db, t.workspaceId, { decided: 320, open: 40 });
    const trained = await trainWorkspaceModel(t.db, t.workspaceId, t.clock.now);
    if (!trained.ok) throw new Error(trained.error.refusal.message);
    const { report, version } = trained.value;
    expect(version).toBe(2);
    expect(report.rows).toBe(320);
    expect(report.crossValidation.auc).toBeGreaterThan(0.7);
    expect(report.outOfTime).not.toBeNull();
    expect(report.leaks).toEqual([expect.objectContaining({ column: 'owner', reason: 'post-handoff', forced: false })]);
    const top = report.factors.slice(0, 3).map((factor) => factor.column);
    expect(top).toEqual(expect.arrayContaining(['seniority']));
    expect(report.factors.map((factor) => factor.column)).toContain('Pricing page');
    const written = await writePredictions(t.db, t.workspaceId, version, trained.value.model, t.clock.now, null);
    expect(written).toEqual({ scored: 360, changed: 360 });
    const stored = await sql<{ n: string }>`
      select count(*) as n from contacts where predicted between 0 and 1 and predicted_version = ${version}`.execute(
      t.db,
    );
    expect(Number(stored.rows[0]?.n)).toBe(360);
    const again = await writePredictions(t.db, t.workspaceId, version, trained.value.model, t.clock.now, null);
    expect(again).toEqual({ scored: 360, changed: 0 });
  });

  it("explains a lead's probability exactly, and what happened after its hand-off does not change it", async () => {
    const lead = leads.find((seeded) => seeded.won === true);
    if (!lead?.mqlAt) throw new Error('the seed has a won lead');
    const before: Explanation = (await t.get(`/api/contacts/${lead.contactId}/prediction`)).json();
    const sum = before.factors.reduce((total, factor) => total + factor.effect, before.baselineLogOdds);
    expect(sum).toBe(before.logOdds);
    expect(before.probability).toBeCloseTo(1 / (1 + Math.exp(-before.logOdds)), 15);
    expect(before.stored).toEqual({ probability: expect.closeTo(before.probability, 5), version: 2 });
    expect(before.asOf).toBe(new Date(lead.mqlAt).toISOString());
    expect(before.factors.find((factor) => factor.column === 'first-touch source')?.value).toMatch(
      /^(google|linkedin|partner-hub)$/,
    );
    await t.db
      .insertInto('events')
      .values({
        workspace_id: t.workspaceId,
        message_id: 'after-handoff',
        type: 'page',
        name: 'Pricing',
        contact_id: lead.contactId,
        properties: JSON.stringify({ path: '/pricing' }),
        context: '{}',
        occurred_at: new Date(lead.mqlAt + DAY),
        received_at: new Date(lead.mqlAt + DAY),
      })
      .execute();
    const after: Explanation = (await t.get(`/api/contacts/${lead.contactId}/prediction`)).json();
    expect(after.probability).toBe(before.probability);
  });

  it('lists leads most likely to win first, those without a probability last, page by page', async () => {
    await sql`update contacts set predicted = null where id in (select id from contacts order by id limit 5)`.execute(
      t.db,
    );
    const seen: { id: string; predicted: number | null }[] = [];
    let cursor: string | null = null;
    do {
      const response = await t.get(`/api/contacts?sort=predicted&limit=70${cursor ? `&cursor=${cursor}` : ''}`);
      const page: { items: { id: string; predicted: number | null }[]; nextCursor: string | null } = response.json();
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(360);
    expect(new Set(seen.map((contact) => contact.id)).size).toBe(360);
    const keys = seen.map((contact) => contact.predicted ?? -1);
    expect(keys).toEqual([...keys].sort((a, b) => b - a));
    expect(seen.slice(-5).every((contact) => contact.predicted === null)).toBe(true);
  });

  it('shows the latest run to every role that reads leads; only admins and marketing retrain', async () => {
    const run = (await t.get('/api/predictive/model')).json();
    expect(run).toMatchObject({ version: 2, status: 'trained', outcomes: 320, predicted: 360 });
    expect(run.report.holdout.lift).toHaveLength(10);
    const write = await t.app.inject({
      method: 'GET',
      url: '/api/predictive/model',
      headers: { authorization: t.writeAuth },
    });
    expect(write.statusCode).toBe(403);
    const missing = await t.get('/api/contacts/00000000-0000-4000-8000-000000000000/prediction');
    expect(missing.statusCode).toBe(404);
    const rep = await createApiKey(t.db, t.workspaceId, 'secret', 'a rep', { role: 'rep', userId: 'bo@example.com' });
    const headers = { authorization: `Bearer ${rep.key}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/predictive/model', headers })).statusCode).toBe(200);
    const retrain = await t.app.inject({ method: 'POST', url: '/api/predictive/train', headers });
    expect(retrain.statusCode).toBe(403);
  });

  it('queues leads for scoring when a criterion reads `predicted` and their probability changed', async () => {
    const active = await t.playbooks.active(t.workspaceId);
    if (!active) throw new Error('the test workspace has a playbook');
    const document = {
      ...active.document,
      mql: { criteria: [...active.document.mql.criteria, { id: 'likely-buyer', when: 'predicted >= 0.6' }] },
    };
    await sql`update contacts set predicted = null`.execute(t.db);
    await sql`delete from score_queue`.execute(t.db);
    const trained = await trainWorkspaceModel(t.db, t.workspaceId, t.clock.now);
    if (!trained.ok) throw new Error(trained.error.refusal.message);
    await writePredictions(
      t.db,
      t.workspaceId,
      trained.value.version,
      trained.value.model,
      t.clock.now,
      compilePlaybook(document, 99),
    );
    const queued = await sql<{ n: string }>`select count(*) as n from score_queue`.execute(t.db);
    const open = await sql<{
      n: string;
    }>`select count(*) as n from contacts where stage in ('lead', 'recycled')`.execute(t.db);
    expect(Number(queued.rows[0]?.n)).toBe(Number(open.rows[0]?.n));
    expect(Number(queued.rows[0]?.n)).toBeGreaterThan(0);
  });
});
