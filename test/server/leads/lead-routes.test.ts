import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { handoffDriver } from '../handoff/handoff-helpers.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();
const drive = handoffDriver(t);

const cents = (values: number[]) => values.reduce((sum, value) => sum + Math.round(value * 100), 0);

describe('the lead page in one answer', () => {
  it('holds the contact, its company, an explanation summing to the score, the history, the hand-off and the allowed actions', async () => {
    const contactId = await drive.handRaiser(
      'page-1',
      { email: 'page-1@acme.example' },
      {
        domain: 'acme.example',
        name: 'Acme',
        employees: 300,
      },
    );
    const response = await t.get(`/api/contacts/${contactId}/page`);
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page.contact.id).toBe(contactId);
    expect(page.company.name).toBe('Acme');
    const { fit, engagement, combined } = page.explanation;
    expect(cents(fit.lines.map((line: { points: number }) => line.points))).toBe(Math.round(fit.points * 100));
    expect(cents(engagement.lines.map((line: { points: number }) => line.points))).toBe(
      Math.round(engagement.points * 100),
    );
    expect(combined.points).toBe(page.contact.score);
    expect(page.history.map((move: { to: string }) => move.to)).toEqual(['mql']);
    expect(page.handoff.owner).toBe(page.contact.owner);
    expect(page.handoff.contact.email).toBe('page-1@acme.example');
    // An admin key, an MQL with an owner and an open hand-off.
    expect(page.actions.sort()).toEqual(['accept', 'disqualify', 'qualify', 'reassign', 'recycle', 'touch']);
    expect(page.reasons.recycle).toContain('not-ready');
    expect(page.requiredBant).toEqual(['budget', 'authority', 'need', 'timeline']);
  });

  it('offers a rep the actions on their own lead only', async () => {
    const contactId = await drive.handRaiser('page-2', { email: 'page-2@acme.example' });
    const owner = (await drive.contact(contactId)).owner ?? '';
    const ownerKey = await drive.key('rep', owner);
    const otherKey = await drive.key('rep', 'someone-else@example.com');
    const actions = async (auth: string) =>
      (
        await t.app.inject({ method: 'GET', url: `/api/contacts/${contactId}/page`, headers: { authorization: auth } })
      ).json().actions;
    expect((await actions(ownerKey)).sort()).toEqual(['accept', 'disqualify', 'qualify', 'recycle', 'touch']);
    expect(await actions(otherKey)).toEqual([]);
  });

  it('answers 404 for a contact that does not exist', async () => {
    const response = await t.get('/api/contacts/00000000-0000-4000-8000-000000000000/page');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toContain('no contact');
  });
});

describe('the leads list', () => {
  it('counts grade × temperature cells for the other filters, summing to the filtered total', async () => {
    const all = (await t.get('/api/contacts?limit=500')).json().items;
    const cells = (await t.get('/api/contacts/matrix')).json().cells;
    expect(cells.reduce((sum: number, cell: { count: number }) => sum + cell.count, 0)).toBe(all.length);
    const mqls = all.filter((contact: { stage: string }) => contact.stage === 'mql').length;
    const mqlCells = (await t.get('/api/contacts/matrix?stage=mql&grade=D')).json().cells;
    expect(mqlCells.reduce((sum: number, cell: { count: number }) => sum + cell.count, 0)).toBe(mqls);
  });

  it('sorts by last change with cursor pages that neither repeat nor skip', async () => {
    for (let index = 0; index < 5; index++) await drive.handRaiser(`sorted-${index}`);
    const all = (await t.get('/api/contacts?sort=updated&limit=500')).json().items;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = (
        await t.get(`/api/contacts?sort=updated&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((item: { id: string }) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((item: { id: string }) => item.id));
    const times = all.map((item: { updatedAt: string }) => Date.parse(item.updatedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('refuses a cursor from another sort with a clear message', async () => {
    const page = (await t.get('/api/contacts?limit=1')).json();
    const response = await t.get(`/api/contacts?sort=updated&cursor=${page.nextCursor}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_cursor');
  });

  it('filters by company', async () => {
    const contactId = await drive.handRaiser('company-filter', {}, { domain: 'filter.example', name: 'Filter Co' });
    const companyId = (await t.get(`/api/contacts/${contactId}`)).json().companyId;
    const items = (await t.get(`/api/contacts?companyId=${companyId}`)).json().items;
    expect(items.map((item: { id: string }) => item.id)).toEqual([contactId]);
  });
});

describe('the home page figures', () => {
  it('counts this week’s MQLs by their first touch as the funnel reports do: tags, else the referring site, else `direct`', async () => {
    await t.send('/v1/page', {
      userId: 'source-1',
      messageId: 'source-1-landing',
      name: 'Landing',
      properties: { path: '/lp/scoring', utm_source: 'linkedin', utm_medium: 'paid' },
    });
    await drive.handRaiser('source-1');
    await t.send('/v1/page', {
      userId: 'source-2',
      messageId: 'source-2-landing',
      name: 'Landing',
      properties: { url: 'https://ripen.example/lp', path: '/lp', referrer: 'https://www.g2.com/products/ripen' },
    });
    await drive.handRaiser('source-2');
    const bySource: Array<{ source: string; count: number }> = (await t.get('/api/home')).json().mqlsBySource;
    expect(bySource.find((row) => row.source === 'linkedin')?.count).toBe(1);
    expect(bySource.find((row) => row.source === 'g2.com')?.count).toBe(1);
    const total = bySource.reduce((sum, row) => sum + row.count, 0);
    expect(total).toBe((await t.get('/api/home')).json().mqls.last7Days);
  });

  it('counts leads by stage and this week’s MQLs, lists a rep’s own hand-offs and SLA per rep for managers', async () => {
    const contactId = await drive.handRaiser('home-1');
    const owner = (await drive.contact(contactId)).owner ?? '';
    const admin = (await t.get('/api/home')).json();
    const contacts = (await t.get('/api/contacts?limit=500')).json().items;
    expect(Object.values(admin.stages).reduce((sum: number, count) => sum + Number(count), 0)).toBe(contacts.length);
    expect(admin.mqls.last7Days).toBe(admin.stages.mql);
    expect(admin.mqls.previous7Days).toBe(0);
    const rep = await t.app.inject({
      method: 'GET',
      url: '/api/home',
      headers: { authorization: await drive.key('rep', owner) },
    });
    const mine = rep.json();
    expect(mine.myHandoffs.map((handoff: { contactId: string }) => handoff.contactId)).toContain(contactId);
    expect(mine.myHandoffs.every((handoff: { owner: string }) => handoff.owner === owner)).toBe(true);
    expect(mine.sla).toEqual([]);
    // A week later every hand-off is past due and untouched: each counts as due and breached.
    await drive.sweepAt(t.clock.now + 2 * 24 * 3600_000);
    const later = (await t.get('/api/home')).json();
    const row = later.sla.find((entry: { owner: string }) => entry.owner === owner);
    expect(row.due).toBeGreaterThan(0);
    expect(row.inTime).toBe(0);
    expect(row.breached).toBe(row.due);
  });
});

describe('live changes', () => {
  it('streams `changed` to an open page when a new MQL is handed to sales', async () => {
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const received: string[] = [];
    const stream = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const request = httpRequest(`${address}/api/live`, { headers: { authorization: t.secretAuth } }, resolve);
      request.on('error', reject);
      request.end();
    });
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toContain('text/event-stream');
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => received.push(chunk));
    await expect.poll(() => received.join('')).toContain('event: ready');
    await drive.handRaiser('live-1');
    await expect.poll(() => received.join(''), { timeout: 5000 }).toContain('event: changed');
    stream.destroy();
  });

  it('refuses the stream without a key or session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/live' });
    expect(response.statusCode).toBe(401);
  });
});

describe('the list as CSV', () => {
  it('exports every contact the filters find, with a header row, as a download', async () => {
    const expected = (await t.get('/api/contacts?stage=mql&limit=500')).json().items;
    const response = await t.get('/api/contacts/export.csv?stage=mql');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toContain('attachment');
    const lines = response.body.trim().split('\n');
    expect(lines[0]?.startsWith('id,email,')).toBe(true);
    expect(lines.length - 1).toBe(expected.length);
    expect(new Set(lines.slice(1).map((line) => line.split(',')[0]))).toEqual(
      new Set(expected.map((item: { id: string }) => item.id)),
    );
  });
});

describe('the company page', () => {
  it('shows the company’s own fit, its contacts by score and their engagement rolled up', async () => {
    const first = await drive.handRaiser(
      'co-page-1',
      { email: 'one@rollup.example' },
      {
        domain: 'rollup.example',
        name: 'Rollup',
        employees: 400,
        industry: 'software',
      },
    );
    await drive.handRaiser('co-page-2', { email: 'two@rollup.example' }, { domain: 'rollup.example', name: 'Rollup' });
    const companyId = (await t.get(`/api/contacts/${first}`)).json().companyId;
    const response = await t.get(`/api/companies/${companyId}/page`);
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page.company.name).toBe('Rollup');
    expect(page.contacts).toHaveLength(2);
    expect(page.contacts[0].score).toBeGreaterThanOrEqual(page.contacts[1].score);
    expect(page.rollup.contacts).toBe(2);
    expect(page.rollup.byStage.mql).toBe(2);
    const engagement = page.contacts.reduce(
      (sum: number, contact: { engagement: number }) => sum + contact.engagement,
      0,
    );
    expect(page.rollup.engagement).toBeCloseTo(engagement, 2);
    expect(cents(page.fit.lines.map((line: { points: number }) => line.points))).toBe(
      Math.round(page.fit.points * 100),
    );
    expect(page.fit.lines.map((line: { group: string }) => line.group)).toContain('company-size');
    expect((await t.get('/api/companies/00000000-0000-4000-8000-000000000000/page')).statusCode).toBe(404);
  });
});

describe('the score over the last 90 days', () => {
  it('replays the events day by day, ending at the score shown today', async () => {
    const contactId = await drive.handRaiser('chart-1', { email: 'chart@acme.example' });
    const contact = (await t.get(`/api/contacts/${contactId}`)).json();
    const response = await t.get(`/api/contacts/${contactId}/score-history`);
    expect(response.statusCode).toBe(200);
    const items: Array<{ at: string; score: number; engagement: number }> = response.json().items;
    expect(items).toHaveLength(90);
    expect(Date.parse(items.at(-1)?.at ?? '')).toBe(t.clock.now);
    expect(items.at(-1)?.score).toBe(contact.score);
    // Nothing happened before the demo request: engagement was 0 until then.
    expect(items[0]?.engagement).toBe(0);
    expect((await t.get('/api/contacts/00000000-0000-4000-8000-000000000000/score-history')).statusCode).toBe(404);
  });
});
