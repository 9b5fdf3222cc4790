import { describe, expect, it } from 'vitest';
import { bootstrapWorkspace } from '../../../src/server/bootstrap-workspace.ts';
import { type StageChange, writeStageChanges } from '../../../src/server/lifecycle/write-stage-changes.ts';
import { DAY } from '../../helpers/time.ts';
import { useTestDatabase } from '../helpers/test-database.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const ENTERED_MQL = '2026-03-01T09:00:00.000Z';

describe('the lifecycle writer', () => {
  const database = useTestDatabase();

  async function setUp() {
    const { db } = database();
    const { workspaceId } = await bootstrapWorkspace(db);
    await db
      .insertInto('webhook_endpoints')
      .values({ workspace_id: workspaceId, url: 'http://127.0.0.1:9/never', secret: 'whsec_dGVzdA==' })
      .execute();
    const contact = async (email: string, stage: string) => {
      const row = await db
        .insertInto('contacts')
        .values({
          workspace_id: workspaceId,
          email,
          stage,
          properties: '{}',
          stage_entered_at: JSON.stringify({ [stage]: ENTERED_MQL }),
          qualification: JSON.stringify({ budget: 'yes' }),
          nurture_track: 'earlier-track',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    };
    const qualified = await contact(`sql-${Math.random()}@example.com`, 'sal');
    const recycled = await contact(`recycled-${Math.random()}@example.com`, 'mql');
    const risen = await contact(`mql-${Math.random()}@example.com`, 'lead');
    await db
      .insertInto('handoffs')
      .values(
        [qualified, recycled].map((contactId) => ({
          workspace_id: workspaceId,
          contact_id: contactId,
          owner: 'rep@example.com',
          qualified_at: new Date(NOW - DAY),
          warn_at: new Date(NOW),
          due_at: new Date(NOW + DAY),
        })),
      )
      .execute();
    return { db, workspaceId, qualified, recycled, risen };
  }

  function change(contactId: string, fields: Partial<StageChange> & Pick<StageChange, 'from' | 'to'>): StageChange {
    return {
      contactId,
      state: { stage: fields.to, nurtureUntil: null, reMqlCount: 0 },
      transition: 'accept',
      rule: null,
      actor: 'user:rep@example.com',
      reason: null,
      playbookVersion: 1,
      scoreSnapshot: { score: 42 },
      sales: null,
      lead: { id: contactId, stage: fields.to },
      ...fields,
    };
  }

  it('writes a sales move, a recycle and a rule move in one call: stages, times, history, hand-offs, webhooks', async () => {
    const { db, workspaceId, qualified, recycled, risen } = await setUp();
    const nurtureUntil = NOW + 30 * DAY;
    await writeStageChanges(
      db,
      workspaceId,
      [
        change(qualified, {
          from: 'sal',
          to: 'sql',
          transition: 'qualify-sql',
          sales: { qualification: { budget: 'yes', authority: 'cfo' }, nurtureTrack: null },
        }),
        change(recycled, {
          from: 'mql',
          to: 'recycled',
          state: { stage: 'recycled', nurtureUntil, reMqlCount: 0 },
          transition: 'recycle',
          reason: 'no-budget',
          sales: { qualification: { budget: 'yes' }, nurtureTrack: 'long-nurture' },
        }),
        change(risen, {
          from: 'lead',
          to: 'mql',
          transition: 'qualify-mql',
          rule: 'engaged',
          actor: 'rule:engaged',
          lead: null,
        }),
      ],
      NOW,
    );

    const contacts = await db
      .selectFrom('contacts')
      .select(['id', 'stage', 'stage_entered_at', 'qualification', 'nurture_track', 'nurture_until'])
      .where('workspace_id', '=', workspaceId)
      .execute();
    const byId = new Map(contacts.map((row) => [row.id, row]));
    const at = new Date(NOW).toISOString();
    expect(byId.get(qualified)).toMatchObject({
      stage: 'sql',
      stage_entered_at: { sal: ENTERED_MQL, sql: at },
      qualification: { budget: 'yes', authority: 'cfo' },
      nurture_track: null,
    });
    expect(byId.get(recycled)).toMatchObject({ stage: 'recycled', nurture_track: 'long-nurture' });
    expect(byId.get(recycled)?.nurture_until?.getTime()).toBe(nurtureUntil);
    // A rule's move leaves what people recorded: the qualification and the nurture track.
    expect(byId.get(risen)).toMatchObject({
      stage: 'mql',
      stage_entered_at: { lead: ENTERED_MQL, mql: at },
      qualification: { budget: 'yes' },
      nurture_track: 'earlier-track',
    });

    const history = await db
      .selectFrom('stage_history')
      .select(['contact_id', 'from_stage', 'to_stage', 'actor', 'transition', 'rule', 'reason', 'score_snapshot'])
      .where('workspace_id', '=', workspaceId)
      .execute();
    expect(history).toHaveLength(3);
    expect(history.find((row) => row.contact_id === risen)).toMatchObject({
      from_stage: 'lead',
      to_stage: 'mql',
      actor: 'rule:engaged',
      transition: 'qualify-mql',
      rule: 'engaged',
      score_snapshot: { score: 42 },
    });
    expect(history.find((row) => row.contact_id === recycled)).toMatchObject({ reason: 'no-budget' });

    const handoffs = await db
      .selectFrom('handoffs')
      .select(['contact_id', 'status', 'closed_reason'])
      .where('workspace_id', '=', workspaceId)
      .execute();
    expect(handoffs).toHaveLength(2);
    expect(handoffs.find((row) => row.contact_id === qualified)).toMatchObject({
      status: 'closed',
      closed_reason: 'sql',
    });
    expect(handoffs.find((row) => row.contact_id === recycled)).toMatchObject({
      status: 'closed',
      closed_reason: 'recycled',
    });

    const messages = await db
      .selectFrom('webhook_messages')
      .select(['type', 'payload'])
      .where('workspace_id', '=', workspaceId)
      .execute();
    expect(messages.map((row) => row.type).sort()).toEqual(['lead.nurture', 'lead.recycled', 'lead.sql']);
    const nurture = messages.find((row) => row.type === 'lead.nurture')?.payload as { data: Record<string, unknown> };
    expect(nurture.data).toMatchObject({
      track: 'long-nurture',
      from: 'mql',
      to: 'recycled',
      reason: 'no-budget',
      nurtureUntil: new Date(nurtureUntil).toISOString(),
      lead: { id: recycled, stage: 'recycled' },
    });
  });

  it('refuses a move a webhook must announce when the change does not carry its lead', async () => {
    const { db, workspaceId, qualified } = await setUp();
    await expect(
      db
        .transaction()
        .execute((trx) =>
          writeStageChanges(trx, workspaceId, [change(qualified, { from: 'sal', to: 'sql', lead: null })], NOW),
        ),
    ).rejects.toThrow(/must carry its lead/);
    const row = await db.selectFrom('contacts').select('stage').where('id', '=', qualified).executeTakeFirstOrThrow();
    expect(row.stage).toBe('sal');
  });
});
