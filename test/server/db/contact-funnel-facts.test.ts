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

type Move = {
  contact: number;
  from: (typeof STAGES)[number] | null;
  to: (typeof STAGES)[number];
  day: number;
  /** The playbook version and score snapshot's grade the move is recorded with (temperature follows the grade). */
  version?: number;
  grade?: string;
};
type Step =
  | { kind: 'insert'; moves: Move[] }
  | { kind: 'move'; from: number; to: number; all: boolean }
  | { kind: 'delete'; contact: number; beforeDay: number };

interface Facts {
  first_move_at: number | null;
  reached: number | null;
  first_mql_at: number | null;
  /** The first move into `mql` (migration 0021): its history row, playbook version, grade and temperature. */
  first_mql: { move: string; version: number | null; grade: string | null; temperature: string | null } | null;
  entered_at: number;
}

const stage = fc.constantFrom(...STAGES);
const move: fc.Arbitrary<Move> = fc.record({
  contact: fc.integer({ min: 0, max: CONTACTS - 1 }),
  from: fc.option(stage, { nil: null }),
  // Moves into `mql` often, so that a contact's first one is often replaced or tied.
  to: fc.oneof({ weight: 1, arbitrary: fc.constant('mql' as const) }, { weight: 2, arbitrary: stage }),
  // Few days, so that moves of a contact often tie in time (the row stored first is first).
  day: fc.integer({ min: -3, max: 8 }),
  version: fc.integer({ min: 1, max: 3 }),
  grade: fc.constantFrom('A', 'B', 'C'),
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
      beforeDay: fc.integer({ min: -3, max: 8 }),
    }),
  },
);

const dayAt = (day: number) => new Date(BASE + day * 86_400_000);
const temperatureOf = (grade: string) => ({ A: 'hot', B: 'warm' })[grade] ?? 'cold';

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
          playbook_version: entry.version ?? null,
          score_snapshot:
            entry.grade === undefined ? null : { grade: entry.grade, temperature: temperatureOf(entry.grade) },
        }));
        await sql`insert into stage_history (workspace_id, contact_id, from_stage, to_stage, at, actor, transition,
            playbook_version, score_snapshot)
          select ${workspaceId}, v.contact_id, v.from_stage, v.to_stage, v.at, 'test', 'test', v.playbook_version,
            v.score_snapshot
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(contact_id uuid, from_stage text,
            to_stage text, at timestamptz, playbook_version integer, score_snapshot jsonb)`.execute(db);
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
    .select(['id', 'contact_id', 'from_stage', 'to_stage', 'at', 'playbook_version', 'score_snapshot'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', 'in', ids)
    .execute();
  return ids.map((id, index) => {
    const moves = history.filter((row) => row.contact_id === id && row.from_stage !== row.to_stage);
    const times = moves.map((row) => new Date(row.at).getTime());
    const ranks = moves.map((row) => FUNNEL.indexOf(row.to_stage) + 1).filter((rank) => rank > 0);
    const time = (row: { at: Date }) => new Date(row.at).getTime();
    const mqls = moves
      .filter((row) => row.to_stage === 'mql')
      .sort((a, b) => time(a) - time(b) || Number(BigInt(a.id) - BigInt(b.id)));
    const firstMql = mqls[0];
    const snapshot = (firstMql?.score_snapshot ?? null) as { grade?: string; temperature?: string } | null;
    const firstMove = times.length > 0 ? Math.min(...times) : null;
    const created = dayAt(index * 5).getTime();
    return {
      first_move_at: firstMove,
      reached: ranks.length > 0 ? Math.max(...ranks) : null,
      first_mql_at: firstMql ? time(firstMql) : null,
      first_mql: firstMql
        ? {
            move: String(firstMql.id),
            version: firstMql.playbook_version,
            grade: snapshot?.grade ?? null,
            temperature: snapshot?.temperature ?? null,
          }
        : null,
      entered_at: firstMove === null ? created : Math.min(created, firstMove),
    };
  });
}

async function keptFacts(db: Db, workspaceId: string, ids: string[]): Promise<Facts[]> {
  const rows = await db
    .selectFrom('contacts')
    .select([
      'id',
      'funnel_first_move_at',
      'funnel_reached',
      'funnel_first_mql_at',
      'funnel_first_mql_move',
      'funnel_first_mql_version',
      'funnel_first_mql_grade',
      'funnel_first_mql_temperature',
      'funnel_entered_at',
    ])
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
      first_mql:
        row.funnel_first_mql_move === null
          ? null
          : {
              move: String(row.funnel_first_mql_move),
              version: row.funnel_first_mql_version,
              grade: row.funnel_first_mql_grade,
              temperature: row.funnel_first_mql_temperature,
            },
      entered_at: new Date(row.funnel_entered_at).getTime(),
    };
  });
}

describe("a contact's funnel facts (migrations 0019 and 0021)", () => {
  it('always equal what its stage history says, after any inserts, moves between contacts and deletes', async () => {
    const { db } = database();
    const { workspaceId } = await bootstrapWorkspace(db);
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const ids = await newContacts(db, workspaceId);
        await apply(db, workspaceId, ids, steps);
        expect(await keptFacts(db, workspaceId, ids)).toEqual(await expectedFacts(db, workspaceId, ids));
      }),
      { numRuns: 100 },
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
      {
        first_move_at: dayAt(2).getTime(),
        reached: null,
        first_mql_at: null,
        first_mql: null,
        entered_at: dayAt(0).getTime(),
      },
      {
        first_move_at: dayAt(7).getTime(),
        reached: 4,
        first_mql_at: dayAt(7).getTime(),
        first_mql: { move: expect.any(String), version: null, grade: null, temperature: null },
        entered_at: dayAt(5).getTime(),
      },
      { first_move_at: null, reached: null, first_mql_at: null, first_mql: null, entered_at: dayAt(10).getTime() },
    ]);
  });

  it.each([
    ['with', true],
    ['without', false],
  ])(
    'are folded in by the lifecycle writer as the trigger would, %s the trigger, reassignments left out',
    async (_, triggered) => {
      const { db } = database();
      const { workspaceId } = await bootstrapWorkspace(db);
      const ids = await newContacts(db, workspaceId);
      const change = (contact: number, from: Stage, to: Stage, version = 1, grade = 'B'): StageChange => ({
        contactId: ids[contact] ?? '',
        from,
        to,
        state: { stage: to, nurtureUntil: null, reMqlCount: 0 },
        transition: from === to ? 'reassign' : 'accept',
        rule: null,
        actor: 'user:rep-1',
        reason: null,
        playbookVersion: version,
        scoreSnapshot: { score: 50, grade, temperature: temperatureOf(grade) },
        sales: null,
        lead: {},
      });
      const days: Array<[number, StageChange[]]> = [
        [4, [change(0, 'lead', 'mql', 1, 'A'), change(1, 'lead', 'lead'), change(2, 'lead', 'recycled')]],
        [6, [change(0, 'mql', 'sal'), change(1, 'lead', 'mql', 2, 'B'), change(2, 'recycled', 'mql', 2, 'C')]],
        [9, [change(0, 'sal', 'recycled'), change(1, 'mql', 'mql', 3, 'A'), change(2, 'mql', 'sal')]],
        [12, [change(0, 'recycled', 'mql', 3, 'C')]],
      ];
      const kept = await db.transaction().execute(async (trx) => {
        // Without the trigger, the facts are the writer's own: they must already be the whole answer.
        if (!triggered)
          await sql`alter table stage_history disable trigger stage_history_inserted_funnel_facts`.execute(trx);
        for (const [day, changes] of days) await writeStageChanges(trx, workspaceId, changes, dayAt(day).getTime());
        const facts = await keptFacts(trx, workspaceId, ids);
        await sql`alter table stage_history enable trigger stage_history_inserted_funnel_facts`.execute(trx);
        return facts;
      });
      expect(kept).toEqual(await expectedFacts(db, workspaceId, ids));
      expect(kept.map((facts) => facts.reached)).toEqual([3, 2, 3]);
      expect(kept.map((facts) => facts.first_mql_at)).toEqual([dayAt(4), dayAt(6), dayAt(6)].map((at) => at.getTime()));
      expect(
        kept.map((facts) => [facts.first_mql?.version, facts.first_mql?.grade, facts.first_mql?.temperature]),
      ).toEqual([
        [1, 'A', 'hot'],
        [2, 'B', 'warm'],
        [2, 'C', 'cold'],
      ]);
      // Moves imported afterwards: one earlier than the writer's (it becomes the first), one at the
      // same moment (the writer's row was stored first and stays first).
      await apply(db, workspaceId, ids, [
        {
          kind: 'insert',
          moves: [
            { contact: 2, from: 'lead', to: 'mql', day: 5, version: 4, grade: 'A' },
            { contact: 1, from: 'lead', to: 'mql', day: 6, version: 4, grade: 'A' },
          ],
        },
      ]);
      const imported = await keptFacts(db, workspaceId, ids);
      expect(imported).toEqual(await expectedFacts(db, workspaceId, ids));
      expect(imported.map((facts) => facts.first_mql?.version)).toEqual([1, 2, 4]);
    },
  );

  it(`fold in moves written at the same time for the same contact (${CONCURRENCY})`, async () => {
    const { db } = database();
    const { workspaceId } = await bootstrapWorkspace(db);
    const [id] = await newContacts(db, workspaceId);
    if (id === undefined) throw new Error('no contact');
    const write = (to: string, day: number, version?: number) =>
      db.transaction().execute(async (trx) => {
        await apply(
          trx,
          workspaceId,
          [id],
          [{ kind: 'insert', moves: [{ contact: 0, from: 'lead', to, day, version, grade: 'A' } as Move] }],
        );
        // Hold the contact's row a moment, so that on PostgreSQL the other writer waits for it.
        await sql`select pg_sleep(0.05)`.execute(trx);
      });
    await Promise.all([write('mql', 3, 1), write('sql', 8), write('opportunity', 1), write('mql', 2, 2)]);
    expect(await keptFacts(db, workspaceId, [id])).toEqual(await expectedFacts(db, workspaceId, [id]));
    expect((await keptFacts(db, workspaceId, [id]))[0]?.reached).toBe(5);
    expect((await keptFacts(db, workspaceId, [id]))[0]?.first_mql?.version).toBe(2);
  });
});
