import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Stage } from '../../../src/core/lifecycle/stages.ts';
import { bootstrapWorkspace } from '../../../src/server/bootstrap-workspace.ts';
import type { Db } from '../../../src/server/db/open-database.ts';
import { type StageChange, writeStageChanges } from '../../../src/server/lifecycle/write-stage-changes.ts';
import { insertContacts } from '../helpers/insert-contacts.ts';
import { CONCURRENCY, useTestDatabase } from '../helpers/test-database.ts';

const database = useTestDatabase();

const FUNNEL = ['lead', 'mql', 'sal', 'sql', 'opportunity', 'customer'];
/** Funnel stages and two that are not (`array_position` gives them no rank). */
const STAGES = [...FUNNEL, 'recycled', 'disqualified'] as const;
const BASE = Date.UTC(2026, 0, 1);
const CONTACTS = 3;

type Move = { contact: number; from: (typeof STAGES)[number] | null; to: (typeof STAGES)[number]; day: number };
type Step =
  | { kind: 'insert'; moves: Move[] }
  | { kind: 'move'; from: number; to: number; all: boolean }
  | { kind: 'delete'; contact: number; beforeDay: number };

interface Facts {
  first_move_at: number | null;
  reached: number | null;
  first_mql_at: number | null;
  entered_at: number;
}

const stage = fc.constantFrom(...STAGES);
const move: fc.Arbitrary<Move> = fc.record({
  contact: fc.integer({ min: 0, max: CONTACTS - 1 }),
  from: fc.option(stage, { nil: null }),
  to: stage,
  day: fc.integer({ min: -20, max: 40 }),
});
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('insert' as const), moves: fc.array(move, { maxLength: 6 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      from: fc.integer({ min: 0, max: CONTACTS - 1 }),
      to: fc.integer({ min: 0, max: CONTACTS - 1 }),
      all: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      contact: fc.integer({ min: 0, max: CONTACTS - 1 }),
      beforeDay: fc.integer({ min: -20, max: 40 }),
    }),
  },
);

const dayAt = (day: number) => new Date(BASE + day * 86_400_000);

function newContacts(db: Db, workspaceId: string): Promise<string[]> {
  return insertContacts(
    db,
    workspaceId,
    Array.from({ length: CONTACTS }, (_, index) => dayAt(index * 5)),
  );
}

async function apply(db: Db, workspaceId: string, ids: string[], steps: Step[]): Promise<void> {
  const idOf = (index: number) => ids[index] ?? '';
  for (const each of steps) {
    switch (each.kind) {
      case 'insert': {
        if (each.moves.length === 0) break;
        // One statement for all of them, as lifecycle/write-stage-changes.ts writes them.
        const rows = each.moves.map((entry) => ({
          contact_id: idOf(entry.contact),
          from_stage: entry.from,
          to_stage: entry.to,
          at: dayAt(entry.day).toISOString(),
        }));
        await sql`insert into stage_history (workspace_id, contact_id, from_stage, to_stage, at, actor, transition)
          select ${workspaceId}, v.contact_id, v.from_stage, v.to_stage, v.at, 'test', 'test'
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
            as v(contact_id uuid, from_stage text, to_stage text, at timestamptz)`.execute(db);
        break;
      }
      case 'move':
        // As a merge moves the loser's history to the survivor, or its undoing moves part of it back.
        await sql`update stage_history set contact_id = ${idOf(each.to)}
          where workspace_id = ${workspaceId} and contact_id = ${idOf(each.from)}
            and (${each.all} or id % 2 = 0)`.execute(db);
        break;
      case 'delete':
        await sql`delete from stage_history
          where workspace_id = ${workspaceId} and contact_id = ${idOf(each.contact)} and at < ${dayAt(each.beforeDay)}`.execute(
          db,
        );
        break;
    }
  }
}

/** What the facts must be, worked out here from the history rows, apart from the SQL that keeps them. */
async function expectedFacts(db: Db, workspaceId: string, ids: string[]): Promise<Facts[]> {
  const history = await db
    .selectFrom('stage_history')
    .select(['contact_id', 'from_stage', 'to_stage', 'at'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', 'in', ids)
    .execute();
  return ids.map((id, index) => {
    const moves = history.filter((row) => row.contact_id === id && row.from_stage !== row.to_stage);
    const times = moves.map((row) => new Date(row.at).getTime());
    const ranks = moves.map((row) => FUNNEL.indexOf(row.to_stage) + 1).filter((rank) => rank > 0);
    const mqls = moves.filter((row) => row.to_stage === 'mql').map((row) => new Date(row.at).getTime());
    const firstMove = times.length > 0 ? Math.min(...times) : null;
    const created = dayAt(index * 5).getTime();
    return {
      first_move_at: firstMove,
      reached: ranks.length > 0 ? Math.max(...ranks) : null,
      first_mql_at: mqls.length > 0 ? Math.min(...mqls) : null,
      entered_at: firstMove === null ? created : Math.min(created, firstMove),
    };
  });
}

async function keptFacts(db: Db, workspaceId: string, ids: string[]): Promise<Facts[]> {
  const rows = await db
    .selectFrom('contacts')
    .select(['id', 'funnel_first_move_at', 'funnel_reached', 'funnel_first_mql_at', 'funnel_entered_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
  const time = (value: Date | null) => (value === null ? null : new Date(value).getTime());
  return ids.map((id) => {
    const row = rows.find((each) => each.id === id);
    if (!row) throw new Error(`contact ${id} is gone`);
    return {
      first_move_at: time(row.funnel_first_move_at),
      reached: row.funnel_reached === null ? null : Number(row.funnel_reached),
      first_mql_at: time(row.funnel_first_mql_at),
      entered_at: new Date(row.funnel_entered_at).getTime(),
    };
  });
}

describe("a contact's funnel facts (migration 0019)", () => {
  it('always equal what its stage history says, after any inserts, moves between contacts and deletes', async () => {
    const { db } = database();
    const { workspaceId } = await bootstrapWorkspace(db);
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const ids = await newContacts(db, workspaceId);
        await apply(db, workspaceId, ids, steps);
        expect(await keptFacts(db, workspaceId, ids)).toEqual(await expectedFacts(db, workspaceId, ids));
      }),
      { numRuns: 60 },
    );
  });

  it('ignore reassignments, and count stages outside the funnel as moves that reach nothing', async () => {
    const { db } = database();
    const { workspaceId } = await bootstrapWorkspace(db);
    const ids = await newContacts(db, workspaceId);
    await apply(db, workspaceId, ids, [
      {
        kind: 'insert',
        moves: [
          { contact: 0, from: 'mql', to: 'mql', day: -3 },
          { contact: 0, from: 'lead', to: 'recycled', day: 2 },
          { contact: 1, from: 'lead', to: 'mql', day: 7 },
          { contact: 1, from: 'mql', to: 'sql', day: 9 },
        ],
      },
    ]);
    expect(await keptFacts(db, workspaceId, ids)).toEqual([
      { first_move_at: dayAt(2).getTime(), reached: null, first_mql_at: null, entered_at: dayAt(0).getTime() },
      {
        first_move_at: dayAt(7).getTime(),
        reached: 4,
        first_mql_at: dayAt(7).getTime(),
        entered_at: dayAt(5).getTime(),
      },
      { first_move_at: null, reached: null, first_mql_at: null, entered_at: dayAt(10).getTime() },
    ]);
  });

  it('are folded in by the lifecycle writer as the trigger would, reassignments left out', async () => {
    const { db } = database();
    const { workspaceId } = await bootstrapWorkspace(db);
    const ids = await newContacts(db, workspaceId);
    const change = (contact: number, from: Stage, to: Stage): StageChange => ({
      contactId: ids[contact] ?? '',
      from,
      to,
      state: { stage: to, nurtureUntil: null, reMqlCount: 0 },
      transition: from === to ? 'reassign' : 'accept',
      rule: null,
      actor: 'user:rep-1',
      reason: null,
      playbookVersion: 1,
      scoreSnapshot: {},
      sales: null,
      lead: {},
    });
    const days: Array<[number, StageChange[]]> = [
      [4, [change(0, 'lead', 'mql'), change(1, 'lead', 'lead'), change(2, 'lead', 'recycled')]],
      [6, [change(0, 'mql', 'sal'), change(1, 'lead', 'mql'), change(2, 'recycled', 'mql')]],
      [9, [change(0, 'sal', 'recycled'), change(1, 'mql', 'mql'), change(2, 'mql', 'sal')]],
      [12, [change(0, 'recycled', 'mql')]],
    ];
    for (const [day, changes] of days) {
      await db.transaction().execute((trx) => writeStageChanges(trx, workspaceId, changes, dayAt(day).getTime()));
    }
    const kept = await keptFacts(db, workspaceId, ids);
    expect(kept).toEqual(await expectedFacts(db, workspaceId, ids));
    expect(kept.map((facts) => facts.reached)).toEqual([3, 2, 3]);
    expect(kept.map((facts) => facts.first_mql_at)).toEqual([dayAt(4), dayAt(6), dayAt(6)].map((at) => at.getTime()));
  });

  it(`fold in moves written at the same time for the same contact (${CONCURRENCY})`, async () => {
    const { db } = database();
    const { workspaceId } = await bootstrapWorkspace(db);
    const [id] = await newContacts(db, workspaceId);
    if (id === undefined) throw new Error('no contact');
    const write = (to: string, day: number) =>
      db.transaction().execute(async (trx) => {
        await apply(
          trx,
          workspaceId,
          [id],
          [{ kind: 'insert', moves: [{ contact: 0, from: 'lead', to, day } as Move] }],
        );
        // Hold the contact's row a moment, so that on PostgreSQL the other writer waits for it.
        await sql`select pg_sleep(0.05)`.execute(trx);
      });
    await Promise.all([write('mql', 3), write('sql', 8), write('opportunity', 1)]);
    expect(await keptFacts(db, workspaceId, [id])).toEqual(await expectedFacts(db, workspaceId, [id]));
    expect((await keptFacts(db, workspaceId, [id]))[0]?.reached).toBe(5);
  });
});
