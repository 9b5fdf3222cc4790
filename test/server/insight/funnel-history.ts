import type { Db } from '../../../src/server/db/open-database.ts';

export const DAY = 86_400;
export const HOUR = 3_600;

const at = (date: string) => new Date(`${date}Z`);

/**
 * A small, known history written straight into the tables, with every time pinned: the
 * figures the tests expect are worked out by hand in the comments of insight-reports.test.ts.
 * The period the tests read is the first quarter of 2026.
 */
export async function seedFunnelHistory(db: Db, workspaceId: string) {
  let sequence = 0;
  const company = async (industry: string | null, employees: number | null) => {
    const row = await db
      .insertInto('companies')
      .values({ workspace_id: workspaceId, name: `Company ${++sequence}`, industry, employees, properties: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const contact = async (
    name: string,
    fields: {
      created: string;
      stage: string;
      score: number;
      owner?: string;
      grade?: string;
      temperature?: string;
      companyId?: string;
    },
  ) => {
    const row = await db
      .insertInto('contacts')
      .values({
        workspace_id: workspaceId,
        email: `${name}@funnel.example`,
        first_name: name[0]?.toUpperCase() + name.slice(1),
        last_name: 'Tester',
        stage: fields.stage,
        score: fields.score,
        owner: fields.owner ?? null,
        grade: fields.grade ?? 'D',
        temperature: fields.temperature ?? 'cold',
        company_id: fields.companyId ?? null,
        properties: '{}',
        stage_entered_at: '{}',
        created_at: at(fields.created),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const move = async (
    contactId: string,
    from: string,
    to: string,
    when: string,
    extra: { reason?: string; version?: number; grade?: string; temperature?: string } = {},
  ) => {
    await db
      .insertInto('stage_history')
      .values({
        workspace_id: workspaceId,
        contact_id: contactId,
        from_stage: from,
        to_stage: to,
        at: at(when),
        actor: 'test',
        transition: from === to ? 'reassign' : 'test',
        reason: extra.reason ?? null,
        playbook_version: extra.version ?? 1,
        score_snapshot: JSON.stringify({ grade: extra.grade ?? 'D', temperature: extra.temperature ?? 'cold' }),
      })
      .execute();
  };
  const event = async (
    contactId: string,
    when: string,
    properties: Record<string, unknown>,
    context: Record<string, unknown> = {},
  ) => {
    await db
      .insertInto('events')
      .values({
        workspace_id: workspaceId,
        message_id: `funnel-${++sequence}`,
        type: 'page',
        contact_id: contactId,
        properties: JSON.stringify(properties),
        context: JSON.stringify(context),
        occurred_at: at(when),
        received_at: at(when),
      })
      .execute();
  };
  const handoff = async (
    contactId: string,
    owner: string,
    qualified: string,
    due: string,
    touched: string | null,
    breached: string | null,
  ) => {
    await db
      .insertInto('handoffs')
      .values({
        workspace_id: workspaceId,
        contact_id: contactId,
        owner,
        status: touched ? 'touched' : 'open',
        qualified_at: at(qualified),
        warn_at: at(qualified),
        due_at: at(due),
        first_touch_at: touched ? at(touched) : null,
        breached_at: breached ? at(breached) : null,
      })
      .execute();
  };
  const outcome = async (
    contactId: string,
    kind: 'won' | 'lost',
    when: string,
    amount: number | null,
    currency: string | null,
  ) => {
    await db
      .insertInto('outcomes')
      .values({ workspace_id: workspaceId, contact_id: contactId, kind, at: at(when), amount, currency, actor: 'test' })
      .execute();
  };

  const software = await company('Software', 120);
  const softwareToo = await company('software ', 8);
  const unknownCompany = await company(null, null);
  const retail = await company('Retail', 6000);

  // Entered in January; went all the way.
  const ann = await contact('ann', {
    created: '2026-01-05T00:00:00',
    stage: 'customer',
    score: 9000,
    owner: 'rep-a',
    companyId: software,
  });
  await event(ann, '2026-01-04T00:00:00', { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'Brand' });
  await event(ann, '2026-01-08T00:00:00', {
    referrer: 'https://www.linkedin.com/feed',
    url: 'https://acme.example/blog',
  });
  await event(ann, '2026-01-20T00:00:00', { utm_source: 'bing', utm_medium: 'cpc' }); // after its MQL
  await move(ann, 'lead', 'mql', '2026-01-10T00:00:00', { version: 1, grade: 'A', temperature: 'hot' });
  await move(ann, 'mql', 'sal', '2026-01-11T00:00:00');
  await move(ann, 'sal', 'sal', '2026-01-12T00:00:00'); // a reassignment, not a move
  await move(ann, 'sal', 'sql', '2026-01-15T00:00:00');
  await move(ann, 'sql', 'opportunity', '2026-02-01T00:00:00');
  await move(ann, 'opportunity', 'customer', '2026-02-20T00:00:00');
  await handoff(ann, 'rep-a', '2026-01-10T00:00:00', '2026-01-11T00:00:00', '2026-01-10T06:00:00', null);
  await outcome(ann, 'won', '2026-02-20T00:00:00', 1000.5, 'EUR');

  // Entered in January; skipped SAL, recycled for budget, back as an MQL in March.
  const bob = await contact('bob', {
    created: '2026-01-20T00:00:00',
    stage: 'mql',
    score: 7000,
    owner: 'rep-b',
    companyId: unknownCompany,
  });
  await event(
    bob,
    '2026-01-19T00:00:00',
    {},
    { campaign: { source: 'Newsletter', medium: 'email', name: 'Jan-News' } },
  );
  await move(bob, 'lead', 'mql', '2026-01-25T00:00:00', { version: 1, grade: 'B', temperature: 'warm' });
  await move(bob, 'mql', 'sql', '2026-02-03T00:00:00');
  await move(bob, 'sql', 'recycled', '2026-02-10T00:00:00', { reason: 'no-budget' });
  await move(bob, 'recycled', 'mql', '2026-03-01T00:00:00', { version: 2 });
  await handoff(
    bob,
    'rep-b',
    '2026-01-25T00:00:00',
    '2026-01-26T00:00:00',
    '2026-01-26T12:00:00',
    '2026-01-26T00:00:00',
  );
  await handoff(bob, 'rep-b', '2026-03-01T00:00:00', '2026-03-02T00:00:00', '2026-03-01T01:00:00', null);

  // Entered in February; still a lead, never touched.
  const cat = await contact('cat', {
    created: '2026-02-02T00:00:00',
    stage: 'lead',
    score: 1000,
    grade: 'C',
    temperature: 'cold',
  });
  await outcome(cat, 'won', '2026-03-01T00:00:00', null, null);

  // Entered in February from a search engine; accepted, then disqualified.
  const dan = await contact('dan', {
    created: '2026-02-10T00:00:00',
    stage: 'disqualified',
    score: 5000,
    owner: 'rep-a',
    companyId: softwareToo,
  });
  await event(dan, '2026-02-09T00:00:00', { referrer: 'https://www.google.com/', url: 'https://acme.example/' });
  await event(dan, '2026-02-11T00:00:00', {
    referrer: 'https://acme.example/',
    url: 'https://acme.example/pricing',
  }); // within the site: not a touch
  await move(dan, 'lead', 'mql', '2026-02-12T00:00:00', { version: 2, grade: 'A', temperature: 'warm' });
  await move(dan, 'mql', 'sal', '2026-02-13T00:00:00');
  await move(dan, 'sal', 'disqualified', '2026-02-14T00:00:00', { reason: 'spam' });
  await handoff(dan, 'rep-a', '2026-02-12T00:00:00', '2026-02-13T00:00:00', '2026-02-12T02:00:00', null);
  await outcome(dan, 'won', '2026-04-10T00:00:00', 500, 'EUR'); // after the period

  // Entered in March from a paid social ad; recycled, not back.
  const eve = await contact('eve', {
    created: '2026-03-05T00:00:00',
    stage: 'recycled',
    score: 3000,
    owner: 'rep-b',
    companyId: retail,
  });
  await event(eve, '2026-03-04T00:00:00', { utm_source: 'LinkedIn', utm_medium: 'paid-social' });
  await move(eve, 'lead', 'mql', '2026-03-06T00:00:00', { version: 2, grade: 'C', temperature: 'cold' });
  await move(eve, 'mql', 'recycled', '2026-03-08T00:00:00', { reason: 'not-ready' });
  await handoff(eve, 'rep-b', '2026-03-06T00:00:00', '2026-03-07T00:00:00', null, '2026-03-07T00:00:00');

  // Entered in December: outside the funnel's cohort, but its MQL stay ended in January.
  const old = await contact('old', { created: '2025-12-01T00:00:00', stage: 'sql', score: 6000, owner: 'rep-a' });
  await event(old, '2025-11-30T00:00:00', { utm_source: 'google' });
  await move(old, 'lead', 'mql', '2025-12-05T00:00:00');
  await move(old, 'mql', 'sql', '2026-01-10T00:00:00');
  await handoff(old, 'rep-a', '2025-12-05T00:00:00', '2025-12-06T00:00:00', null, null);
  await handoff(old, 'rep-a', '2026-03-30T00:00:00', '2026-03-31T00:00:00', '2026-03-31T04:00:00', null);
  await outcome(old, 'won', '2026-03-15T00:00:00', 99.25, 'eur');
  await outcome(old, 'lost', '2026-03-16T00:00:00', 10, 'EUR');

  // Created in March (an import), but its history starts on 3 January: it entered then.
  const imp = await contact('imp', {
    created: '2026-03-20T00:00:00',
    stage: 'customer',
    score: 8000,
    grade: 'A',
    temperature: 'cold',
  });
  await move(imp, 'lead', 'customer', '2026-01-03T00:00:00');
  await outcome(imp, 'won', '2026-01-03T00:00:00', 200, 'USD');

  // Entered in November; recycled twice in the period, back once in between.
  const zed = await contact('zed', { created: '2025-11-01T00:00:00', stage: 'recycled', score: 2000 });
  await move(zed, 'lead', 'mql', '2025-11-05T00:00:00');
  await move(zed, 'mql', 'recycled', '2026-01-05T00:00:00', { reason: 'not-ready' });
  await move(zed, 'recycled', 'mql', '2026-01-09T00:00:00');
  await move(zed, 'mql', 'recycled', '2026-02-01T00:00:00', { reason: 'no-response' });

  return { ann, bob, cat, dan, eve, old, imp, zed };
}

export type FunnelPeople = Awaited<ReturnType<typeof seedFunnelHistory>>;

/** The first quarter of 2026, read on 15 April. */
export const Q1 = {
  from: Date.UTC(2026, 0, 1),
  to: Date.UTC(2026, 3, 1),
  now: Date.UTC(2026, 3, 15),
};
