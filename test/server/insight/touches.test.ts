import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { channelOf, sourceOf, type TouchOrigin } from '../../../src/core/insight/channels.ts';
import { listReportLeads, runReport } from '../../../src/server/insight/run-report.ts';
import { channelLabel, IS_TOUCH, SOURCE_LABEL } from '../../../src/server/insight/touches.ts';
import { useTestDatabase } from '../helpers/test-database.ts';

const database = useTestDatabase();

const ORIGINS: TouchOrigin[] = [
  { source: 'google', medium: 'cpc', referrerHost: null },
  { source: 'google', medium: 'CPC ', referrerHost: 'google.com' },
  { source: 'linkedin', medium: 'paid-social', referrerHost: null },
  { source: 'newsletter', medium: 'email', referrerHost: null },
  { source: 'partner-x', medium: 'affiliate', referrerHost: null },
  { source: 'twitter', medium: 'social', referrerHost: null },
  { source: 'podcast', medium: 'audio', referrerHost: null },
  { source: 'Webinar', medium: null, referrerHost: null },
  { source: null, medium: null, referrerHost: 'google.com' },
  { source: null, medium: null, referrerHost: 'google.co.uk' },
  { source: null, medium: null, referrerHost: 'duckduckgo.com' },
  { source: null, medium: null, referrerHost: 'search.brave.com' },
  { source: null, medium: null, referrerHost: 'linkedin.com' },
  { source: null, medium: null, referrerHost: 'm.facebook.com' },
  { source: null, medium: null, referrerHost: 't.co' },
  { source: null, medium: null, referrerHost: 'news.ycombinator.com' },
  { source: null, medium: null, referrerHost: 'googleblog.example' },
  { source: null, medium: null, referrerHost: 'notlinkedin.com' },
  { source: null, medium: null, referrerHost: null },
];

describe('touch labels', () => {
  it('are the same in SQL as in core/insight/channels.ts', async () => {
    const rows = JSON.stringify(
      ORIGINS.map((origin, index) => ({
        index,
        tagged_source: origin.source,
        medium: origin.medium?.trim() ?? null,
        referrer_host: origin.referrerHost,
      })),
    );
    const result = await sql<{ index: number; channel: string; source: string }>`
      select t.index, ${channelLabel()} as channel, ${SOURCE_LABEL} as source
      from jsonb_to_recordset(${rows}::jsonb) as t(index integer, tagged_source text, medium text, referrer_host text)
      order by t.index`.execute(database().db);
    expect(result.rows.map((row) => [row.channel, row.source])).toEqual(
      ORIGINS.map((origin) => [channelOf(origin), sourceOf(origin)]),
    );
    expect(result.rows.map((row) => row.channel)).toEqual([
      'paid',
      'paid',
      'paid',
      'email',
      'referral',
      'social',
      'other',
      'other',
      'organic',
      'organic',
      'organic',
      'organic',
      'social',
      'social',
      'social',
      'referral',
      'referral',
      'referral',
      'direct',
    ]);
  });

  it('read touches from migration 0015’s index (its predicate and the queries’ are the same)', async () => {
    const { db } = database();
    await db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const plan = await sql<Record<string, string>>`
        explain select e.contact_id from events e
        where e.workspace_id = ${'00000000-0000-4000-8000-000000000000'} and ${IS_TOUCH}
        order by e.contact_id, e.occurred_at`.execute(trx);
      expect(plan.rows.map((row) => Object.values(row).join(' ')).join('\n')).toContain('events_touches');
    });
  });
});

describe('touch splits', () => {
  it('read the touches kept for each contact, follow a touch to another contact and lose it with its event', async () => {
    const { db } = database();
    const workspace = await db
      .insertInto('workspaces')
      .values({ name: 'touches' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const workspaceId = workspace.id;
    const person = async (email: string) =>
      (
        await db
          .insertInto('contacts')
          .values({
            workspace_id: workspaceId,
            email,
            properties: '{}',
            stage_entered_at: '{}',
            created_at: new Date('2026-02-01T00:00:00Z'),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const [ada, ben] = [await person('ada@touches.example'), await person('ben@touches.example')];
    const visit = (messageId: string, contactId: string, at: string, properties: object) =>
      db
        .insertInto('events')
        .values({
          workspace_id: workspaceId,
          message_id: messageId,
          type: 'page',
          contact_id: contactId,
          properties: JSON.stringify(properties),
          context: '{}',
          occurred_at: new Date(at),
          received_at: new Date(at),
        })
        .execute();
    await visit('ada-ad', ada, '2026-02-02T00:00:00Z', { utm_source: 'google', utm_medium: 'cpc' });
    await visit('ben-blog', ben, '2026-02-03T00:00:00Z', { referrer: 'https://t.co/x', url: 'https://acme.example/' });
    await visit('ben-later', ben, '2026-02-04T00:00:00Z', { utm_source: 'newsletter', utm_medium: 'email' });
    const params = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 2, 1), now: Date.UTC(2026, 2, 1) };
    const groups = async (by: 'first-touch-source' | 'first-touch-channel') => {
      const report = await runReport(db, workspaceId, 'funnel', { ...params, by });
      return Object.fromEntries(
        report.rows.filter((row) => !row.month && row.group).map((row) => [row.group, row.stages[0]?.count]),
      );
    };

    expect(await groups('first-touch-source')).toEqual({ google: 1, 't.co': 1 });
    expect(await groups('first-touch-channel')).toEqual({ paid: 1, social: 1 });
    const page = await listReportLeads(
      db,
      workspaceId,
      'funnel',
      { ...params, by: 'first-touch-channel' },
      {
        cell: 'group=social;stage=lead',
      },
    );
    expect(page.ok && page.value.items.map((item) => item.id)).toEqual([ben]);

    // A merge (or an identification) moves Ada's ad visit to Ben: his first touch now.
    await sql`update events set contact_id = ${ben} where workspace_id = ${workspaceId} and message_id = 'ada-ad'`.execute(
      db,
    );
    expect(await groups('first-touch-source')).toEqual({ direct: 1, google: 1 });
    // Erasing Ben's events takes his touches along.
    await sql`delete from events where workspace_id = ${workspaceId} and contact_id = ${ben}`.execute(db);
    expect(await groups('first-touch-source')).toEqual({ direct: 2 });
  });
});
