import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

async function company(domain: string) {
  return t.db
    .selectFrom('companies')
    .select(['id', 'name', 'industry', 'employees', 'annual_revenue', 'founded_year', 'properties'])
    .where('domain', '=', domain)
    .executeTakeFirstOrThrow();
}

async function contactFit(userId: string) {
  return (await t.db.selectFrom('contacts').select('fit').where('user_id', '=', userId).executeTakeFirstOrThrow()).fit;
}

describe('company fields', () => {
  it('clears a numeric field sent as null by a group call, and rescores the contacts', async () => {
    const traits = { domain: 'clear-me.io', name: 'Clear', employees: 800, annualRevenue: 2e7, foundedYear: 2001 };
    await t.send('/v1/identify', { userId: 'clear-1', traits: { jobTitle: 'VP Marketing' } });
    await t.send('/v1/group', { userId: 'clear-1', groupId: 'clear-me.io', traits });
    const fitBefore = await contactFit('clear-1');
    expect(await company('clear-me.io')).toMatchObject({ employees: 800, annual_revenue: 2e7, founded_year: 2001 });

    await t.send('/v1/group', {
      userId: 'clear-1',
      groupId: 'clear-me.io',
      traits: { employees: null, annualRevenue: null, foundedYear: null },
    });
    expect(await company('clear-me.io')).toMatchObject({
      name: 'Clear',
      employees: null,
      annual_revenue: null,
      founded_year: null,
    });
    // The size and maturity points went with the data.
    expect(await contactFit('clear-1')).toBeLessThan(fitBefore);
  });

  it('never stores 0 for blank text, and keeps text a number column cannot hold as a property', async () => {
    await t.send('/v1/group', {
      userId: 'blank-1',
      groupId: 'blank.io',
      traits: { domain: 'blank.io', employees: 120, annualRevenue: '', foundedYear: ' ', revenue: 'about ten million' },
    });
    const stored = await company('blank.io');
    expect(stored).toMatchObject({ employees: 120, annual_revenue: null, founded_year: null });
    expect(stored.properties).toMatchObject({ revenue: 'about ten million' });
  });

  it('clears a numeric field sent as null through the REST API', async () => {
    const auth = { authorization: t.secretAuth };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/companies',
      headers: auth,
      payload: { domain: 'rest-clear.io', employees: 50, annualRevenue: 1000, foundedYear: 2000 },
    });
    expect(created.statusCode).toBe(201);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/companies/${created.json().id}`,
      headers: auth,
      payload: { employees: null, annualRevenue: null, foundedYear: null },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ employees: null, annualRevenue: null, foundedYear: null });
  });
});
