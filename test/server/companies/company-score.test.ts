import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HOUR } from '../../helpers/time.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

const DOMAIN = 'northwind-analytics.example';
const COMPANY = {
  name: 'Northwind Analytics',
  domain: DOMAIN,
  industry: 'software',
  employees: 420,
  annualRevenue: 38_000_000,
  foundedYear: 2009,
  shareCapital: 250_000,
  vatNumber: 'NO987654321',
  publicFunding: 120_000,
  adSpend: 90_000,
  reviewRating: 4.6,
  reviewCount: 212,
  socialProfiles: ['linkedin.com/company/northwind-analytics', 'x.com/northwind'],
  technologies: ['HubSpot', 'Google Analytics', 'WordPress'],
};

let sequence = 0;
const id = () => `cs-${++sequence}`;

/** Someone from the company reading the pricing page twice (20), a webinar and two papers (content, capped at 15), one visit day (1): engagement 36. */
async function engage(userId: string) {
  const at = (hoursAgo: number) => new Date(t.clock.now - hoursAgo * HOUR).toISOString();
  const response = await t.send('/v1/batch', {
    batch: [
      { type: 'identify', userId, messageId: id(), traits: { email: `${userId}@${DOMAIN}`, jobTitle: 'Data Analyst' } },
      { type: 'page', userId, messageId: id(), timestamp: at(0), properties: { path: '/pricing' } },
      { type: 'page', userId, messageId: id(), timestamp: at(0), properties: { path: '/pricing' } },
      { type: 'track', userId, messageId: id(), timestamp: at(0), event: 'Webinar Attended' },
      { type: 'track', userId, messageId: id(), timestamp: at(0), event: 'Ebook Downloaded' },
      { type: 'track', userId, messageId: id(), timestamp: at(0), event: 'Whitepaper Downloaded' },
    ],
  });
  expect(response.json().errors).toEqual([]);
}

async function contact(userId: string) {
  return t.db
    .selectFrom('contacts')
    .select(['id', 'stage', 'fit', 'engagement'])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
}

async function companyPage() {
  const row = await t.db.selectFrom('companies').select('id').where('domain', '=', DOMAIN).executeTakeFirstOrThrow();
  return (await t.get(`/api/companies/${row.id}/page`)).json();
}

/** The default playbook with the account-based criterion docs/companies.md suggests. */
const ACCOUNT_BASED = readFileSync(new URL('../../../playbooks/default.yaml', import.meta.url), 'utf8').replace(
  "      when: grade == 'A' and engagement >= 35 and count('pricing-page', '30d') >= 2\n",
  "      when: grade == 'A' and engagement >= 35 and count('pricing-page', '30d') >= 2\n" +
    '    - id: engaged-account\n' +
    '      label: A strong account with two engaged people\n' +
    '      when: company.score >= 60 and company.engagedContacts >= 2 and fit >= 40 and engagement >= 30\n',
);

describe('the company score (default playbook) and account-based qualification', () => {
  it('scores a company on maturity, trust and technology, every line explained', async () => {
    const sent = await t.send('/v1/group', { userId: 'nw-ceo', groupId: DOMAIN, messageId: id(), traits: COMPANY });
    expect(sent.statusCode).toBe(200);
    const page = await companyPage();
    expect(page.company).toMatchObject({
      vatNumber: 'NO987654321',
      reviewRating: 4.6,
      socialProfiles: 'linkedin.com/company/northwind-analytics, x.com/northwind',
      technologies: 'HubSpot, Google Analytics, WordPress',
      score: 80,
    });
    expect(page.score.points).toBe(80);
    const lines = page.score.lines as Array<{ kind: string; rule?: string; points: number }>;
    expect(lines.reduce((sum, line) => sum + Math.round(line.points * 100), 0)).toBe(8000);
    expect(lines.filter((line) => line.kind === 'rule').map((line) => line.rule)).toEqual([
      'established',
      'staffed',
      'revenue',
      'share-capital',
      'vat-registered',
      'public-funding',
      'advertises',
      'well-reviewed',
      'social-presence',
      'on-linkedin',
      'marketing-stack',
      'measures-traffic',
    ]);
    expect(lines.find((line) => line.kind === 'group-cap')).toMatchObject({ group: 'maturity', points: -5 });
  });

  it('rolls its people’s engagement up, and qualifies two engaged people of a strong account together', async () => {
    expect(ACCOUNT_BASED).toContain('engaged-account');
    const published = await t.app.inject({
      method: 'POST',
      url: '/api/playbook/publish',
      headers: { authorization: t.secretAuth },
      payload: { source: ACCOUNT_BASED },
    });
    expect(published.statusCode).toBe(202);
    await expect
      .poll(async () => (await t.get('/api/playbook/rescoring')).json()?.status, { timeout: 20_000 })
      .toBe('done');
    await t.scoring.drain();
    await engage('nw-ana');
    const first = await contact('nw-ana');
    expect(first.engagement).toBe(3600);
    expect(first.fit).toBeGreaterThanOrEqual(4000);
    expect(first.fit).toBeLessThan(7000);
    // One engaged person is not an account in motion yet.
    expect(first.stage).toBe('lead');
    let page = await companyPage();
    expect(page.score.engagedContacts).toBe(1);
    expect(page.score.points).toBe(89);
    expect(page.score.lines.find((line: { kind: string }) => line.kind === 'engagement')).toMatchObject({
      contacts: 1,
      weight: 0.25,
      points: 9,
    });

    await engage('nw-ben');
    page = await companyPage();
    expect(page.score.engagedContacts).toBe(2);
    expect(page.score.points).toBe(98);
    expect(page.company.engagedContacts).toBe(2);
    expect((await contact('nw-ana')).stage).toBe('mql');
    expect((await contact('nw-ben')).stage).toBe('mql');
    const history = await t.db
      .selectFrom('stage_history')
      .select(['rule'])
      .where('contact_id', '=', (await contact('nw-ana')).id)
      .where('to_stage', '=', 'mql')
      .execute();
    expect(history.map((row) => row.rule)).toEqual(['engaged-account']);
  });

  it('moves the company score when an admin edits the company, even without people', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/companies',
      headers: { authorization: t.secretAuth },
      payload: { domain: 'lonely-labs.example', name: 'Lonely Labs', vatNumber: 'SE5566' },
    });
    expect(created.statusCode).toBe(201);
    await t.scoring.drain();
    const companyId = created.json().id;
    expect((await t.get(`/api/companies/${companyId}`)).json().score).toBe(5);
    const edited = await t.app.inject({
      method: 'PATCH',
      url: `/api/companies/${companyId}`,
      headers: { authorization: t.secretAuth },
      payload: { technologies: 'Salesforce', reviewRating: 4.2, reviewCount: 30 },
    });
    expect(edited.statusCode).toBe(200);
    await t.scoring.drain();
    expect((await t.get(`/api/companies/${companyId}`)).json().score).toBe(25);
  });
});
