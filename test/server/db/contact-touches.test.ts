import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { bootstrapWorkspace } from '../../../src/server/bootstrap-workspace.ts';
import type { Db } from '../../../src/server/db/open-database.ts';
import { insertContacts } from '../helpers/insert-contacts.ts';
import { CONCURRENCY, useTestDatabase } from '../helpers/test-database.ts';

const database = useTestDatabase();

const BASE = Date.UTC(2026, 0, 1);
const CONTACTS = 3;

interface Origin {
  tagged_source: string | null;
  medium: string | null;
  campaign: string | null;
  referrer_host: string | null;
}

/** What a visit sends, and the origin a touch of it says (null: not a touch), worked out by hand. */
const VISITS: Array<{ properties: object; context: object; origin: Origin | null }> = [
  {
    properties: { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'spring', url: 'https://acme.example/lp' },
    context: {},
    origin: { tagged_source: 'google', medium: 'cpc', campaign: 'spring', referrer_host: null },
  },
  {
    properties: { referrer: 'https://www.t.co/x', url: 'https://acme.example/' },
    context: {},
    origin: { tagged_source: null, medium: null, campaign: null, referrer_host: 't.co' },
  },
  { properties: { referrer: 'https://acme.example/a', url: 'https://acme.example/b' }, context: {}, origin: null },
  {
    properties: {},
    context: { campaign: { source: 'Newsletter', medium: 'email', name: 'may' } },
    origin: { tagged_source: 'Newsletter', medium: 'email', campaign: 'may', referrer_host: null },
  },
  { properties: { url: 'https://acme.example/' }, context: {}, origin: null },
  {
    properties: {},
    context: { page: { referrer: 'https://news.ycombinator.com/item', url: 'https://acme.example/' } },
    origin: { tagged_source: null, medium: null, campaign: null, referrer_host: 'news.ycombinator.com' },
  },
  {
    properties: { utm_source: ' linkedin ', referrer: 'https://www.linkedin.com/feed', url: 'https://acme.example/' },
    context: {},
    origin: { tagged_source: 'linkedin', medium: null, campaign: null, referrer_host: 'linkedin.com' },
  },
];

/** A contact by index, or an anonymous visitor's (`null`) until an identification step. */
type Visit = { contact: number | null; visit: number; hour: number };
type Step =
  | { kind: 'insert'; visits: Visit[] }
  | { kind: 'identify'; contact: number }
  | { kind: 'move'; from: number; to: number; all: boolean }
  | { kind: 'delete'; contact: number; beforeHour: number }
  | { kind: 'mql'; contact: number; hour: number }
  | { kind: 'unmql'; contact: number };

const contact = fc.integer({ min: 0, max: CONTACTS - 1 });
const hour = fc.integer({ min: 0, max: 12 });
const visit: fc.Arbitrary<Visit> = fc.record({
  contact: fc.option(contact, { nil: null, freq: 6 }),
  visit: fc.integer({ min: 0, max: VISITS.length - 1 }),
  hour,
});
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('insert' as const), visits: fc.array(visit, { maxLength: 6 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('identify' as const), contact }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('move' as const), from: contact, to: contact, all: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), contact, beforeHour: hour }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('mql' as const), contact, hour }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unmql' as const), contact }) },
);

const hourAt = (hours: number) => new Date(BASE + hours * 3_600_000);

function newContacts(db: Db, workspaceId: string): Promise<string[]> {
  return insertContacts(
    db,
    workspaceId,
    Array.from({ length: CONTACTS }, () => hourAt(0)),
  );
}

let sequence = 0;

/** Each event's visit, by message id: what its origin must be. */
const visitOf = new Map<string, number>();

async function insertVisits(db: Db, workspaceId: string, ids: string[], visits: Visit[], anonymousId: string) {
  const rows = visits.map((each) => {
    const messageId = `m-${++sequence}`;
    visitOf.set(messageId, each.visit);
    const template = VISITS[each.visit];
    return {
      message_id: messageId,
      contact_id: each.contact === null ? null : ids[each.contact],
      anonymous_id: each.contact === null ? anonymousId : null,
      properties: template?.properties,
      context: template?.context,
      occurred_at: hourAt(each.hour).toISOString(),
    };
  });
  // One statement for all of them, as ingestion writes a batch.
  await sql`insert into events (workspace_id, message_id, type, contact_id, anonymous_id, properties, context, occurred_at, received_at)
    select ${workspaceId}, v.message_id, 'page', v.contact_id, v.anonymous_id, v.properties, v.context, v.occurred_at, now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(message_id text, contact_id uuid, anonymous_id text, properties jsonb, context jsonb, occurred_at timestamptz)`.execute(
    db,
  );
}

async function apply(db: Db, workspaceId: string, ids: string[], steps: Step[], anonymousId: string): Promise<void> {
  const idOf = (index: number) => ids[index] ?? '';
  for (const each of steps) {
    switch (each.kind) {
      case 'insert':
        if (each.visits.length > 0) await insertVisits(db, workspaceId, ids, each.visits, anonymousId);
        break;
      case 'identify':
        // As ingestion gives a newly identified visitor their anonymous history.
        await sql`update events set contact_id = ${idOf(each.contact)}
          where workspace_id = ${workspaceId} and contact_id is null and anonymous_id = ${anonymousId}`.execute(db);
        break;
      case 'move':
        // As a merge moves the loser's events to the survivor, or its undoing moves part of them back.
        await sql`update events set contact_id = ${idOf(each.to)}
          where workspace_id = ${workspaceId} and contact_id = ${idOf(each.from)} and (${each.all} or id % 2 = 0)`.execute(
          db,
        );
        break;
      case 'delete':
        // As retention (or erasure, with every hour) deletes a contact's older events.
        await sql`delete from events
          where workspace_id = ${workspaceId} and contact_id = ${idOf(each.contact)} and occurred_at < ${hourAt(each.beforeHour)}`.execute(
          db,
        );
        break;
      case 'mql':
        await sql`insert into stage_history (workspace_id, contact_id, from_stage, to_stage, at, actor, transition)
          values (${workspaceId}, ${idOf(each.contact)}, 'lead', 'mql', ${hourAt(each.hour)}, 'test', 'test')`.execute(
          db,
        );
        break;
      case 'unmql':
        // As erasing a move (or a merge's undoing) takes a contact's first MQL move away.
        await sql`delete from stage_history where id = (
          select min(id) from stage_history where workspace_id = ${workspaceId} and contact_id = ${idOf(each.contact)}
            and to_stage = 'mql')`.execute(db);
        break;
    }
  }
}

interface Touches {
  first: (Origin & { at: number; event: string }) | null;
  last: (Origin & { at: number; event: string }) | null;
}

/** What each contact's touches must be, worked out here from its events and its first MQL move. */
async function expectedTouches(db: Db, workspaceId: string, ids: string[]): Promise<Touches[]> {
  const events = await db
    .selectFrom('events')
    .select(['id', 'message_id', 'contact_id', 'occurred_at'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', 'in', ids)
    .execute();
  const contacts = await db
    .selectFrom('contacts')
    .select(['id', 'funnel_first_mql_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
  return ids.map((id) => {
    const mqlAt = contacts.find((row) => row.id === id)?.funnel_first_mql_at ?? null;
    const touches = events
      .filter((event) => event.contact_id === id)
      .map((event) => {
        const origin = VISITS[visitOf.get(event.message_id) ?? -1]?.origin ?? null;
        return origin && { ...origin, at: new Date(event.occurred_at).getTime(), event: String(event.id) };
      })
      .filter((touch) => touch !== null)
      .sort((a, b) => a.at - b.at || Number(BigInt(a.event) - BigInt(b.event)));
    const eligible = touches.filter((touch) => mqlAt === null || touch.at <= new Date(mqlAt).getTime());
    return { first: touches[0] ?? null, last: eligible.at(-1) ?? null };
  });
}

async function keptTouches(db: Db, workspaceId: string, ids: string[]): Promise<Touches[]> {
  const rows = await sql<Record<string, string | Date | null> & { contact_id: string }>`
    select * from contact_touches where workspace_id = ${workspaceId} and contact_id = any(${ids}::uuid[])`.execute(db);
  const touch = (row: Record<string, string | Date | null> | undefined, prefix: 'first' | 'last') => {
    const at = row?.[`${prefix}_at`];
    if (!row || at === null || at === undefined) return null;
    const text = (name: string) => (row[`${prefix}_${name}`] ?? null) as string | null;
    return {
      tagged_source: text('tagged_source'),
      medium: text('medium'),
      campaign: text('campaign'),
      referrer_host: text('referrer_host'),
      at: new Date(at).getTime(),
      event: String(row[`${prefix}_event_id`]),
    };
  };
  return ids.map((id) => {
    const row = rows.rows.find((each) => each.contact_id === id);
    return { first: touch(row, 'first'), last: touch(row, 'last') };
  });
}

describe("a contact's first and last touch (migration 0020)", () => {
  it('always equal what its events and first MQL move say, after inserts, identifications, merges, deletes and MQL moves', async () => {
    const { db } = database();
    const { workspaceId } = await bootstrapWorkspace(db);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        const ids = await newContacts(db, workspaceId);
        await apply(db, workspaceId, ids, steps, `anon-${++run}`);
        expect(await keptTouches(db, workspaceId, ids)).toEqual(await expectedTouches(db, workspaceId, ids));
      }),
      { numRuns: 80 },
    );
  });

  it('take ties in time by the order events were stored, and leave touches after the first MQL move out of the last', async () => {
    const { db } = database();
    const { workspaceId } = await bootstrapWorkspace(db);
    const ids = await newContacts(db, workspaceId);
    await apply(
      db,
      workspaceId,
      ids,
      [
        {
          kind: 'insert',
          visits: [
            { contact: 0, visit: 1, hour: 2 },
            { contact: 0, visit: 0, hour: 2 },
            { contact: 0, visit: 2, hour: 1 },
            { contact: 0, visit: 3, hour: 9 },
          ],
        },
        { kind: 'mql', contact: 0, hour: 5 },
        { kind: 'insert', visits: [{ contact: 0, visit: 5, hour: 4 }] },
      ],
      'anon-ties',
    );
    const [kept] = await keptTouches(db, workspaceId, ids);
    expect(kept?.first).toMatchObject({ referrer_host: 't.co', at: hourAt(2).getTime() });
    expect(kept?.last).toMatchObject({ referrer_host: 'news.ycombinator.com', at: hourAt(4).getTime() });
    expect(await keptTouches(db, workspaceId, ids)).toEqual(await expectedTouches(db, workspaceId, ids));
    // The contact goes, and its touches with it.
    await sql`delete from events where workspace_id = ${workspaceId} and contact_id = ${ids[0] ?? ''}`.execute(db);
    await db
      .deleteFrom('contacts')
      .where('id', '=', ids[0] ?? '')
      .execute();
    const left = await sql`select 1 from contact_touches where contact_id = ${ids[0] ?? ''}`.execute(db);
    expect(left.rows).toEqual([]);
  });

  it(`keep the last touch before the first MQL move when both are written at the same time (${CONCURRENCY})`, async () => {
    const { db } = database();
    const { workspaceId } = await bootstrapWorkspace(db);
    for (const order of ['mql first', 'touches first'] as const) {
      const ids = await newContacts(db, workspaceId);
      // An earlier touch: the contact's row of touches is there before the race.
      await apply(db, workspaceId, ids, [{ kind: 'insert', visits: [{ contact: 0, visit: 5, hour: 1 }] }], 'unused');
      let started: () => void = () => {};
      const first = new Promise<void>((resolve) => {
        started = resolve;
      });
      const hold = (steps: Step[]) =>
        db.transaction().execute(async (trx) => {
          await apply(trx, workspaceId, ids, steps, `anon-race-${order}`);
          started();
          // Hold the rows a moment, so that on PostgreSQL the other writer waits for them.
          await sql`select pg_sleep(0.2)`.execute(trx);
        });
      const touches: Step = {
        kind: 'insert',
        visits: [
          { contact: 0, visit: 0, hour: 3 },
          { contact: 0, visit: 1, hour: 10 },
        ],
      };
      const mql: Step = { kind: 'mql', contact: 0, hour: 5 };
      const [holding, waiting] = order === 'mql first' ? [mql, touches] : [touches, mql];
      await Promise.all([
        hold([holding]),
        first.then(() => db.transaction().execute((trx) => apply(trx, workspaceId, ids, [waiting], 'unused'))),
      ]);
      const [kept] = await keptTouches(db, workspaceId, ids);
      expect(kept?.last).toMatchObject({ tagged_source: 'google', at: hourAt(3).getTime() });
      expect(await keptTouches(db, workspaceId, ids)).toEqual(await expectedTouches(db, workspaceId, ids));
    }
  });
});
