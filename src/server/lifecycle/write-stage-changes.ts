import { sql } from 'kysely';
import { funnelRank, isFunnelStage } from '../../core/insight/report-types.ts';
import type { LifecycleState, TransitionKind } from '../../core/lifecycle/apply-transition.ts';
import { closesHandoff, stageWebhook } from '../../core/lifecycle/stage-effects.ts';
import type { Stage } from '../../core/lifecycle/stages.ts';
import { jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import type { WebhookEventType } from '../webhooks/enqueue-webhook.ts';
import { enqueueWebhooks } from '../webhooks/enqueue-webhooks.ts';

/** One lead's move from one stage to another, decided by a rule, a person or a sweep. */
export interface StageChange {
  contactId: string;
  from: Stage;
  to: Stage;
  /** The lifecycle after the move: its stage, nurture period and re-MQL count. */
  state: LifecycleState;
  transition: TransitionKind | 'reassign';
  rule: string | null;
  /** `key:<id>`, `user:<rep>` or `rule:<id>`: who made the move, for the stage history. */
  actor: string;
  reason: string | null;
  playbookVersion: number;
  /** The score the move is recorded with (fit, engagement, score, grade, temperature, version). */
  scoreSnapshot: Record<string, unknown>;
  /**
   * A person's move stores the lead's qualification (BANT) and its nurture track with it;
   * moves made by rules leave both as they are.
   */
  sales: { qualification: Record<string, string>; nurtureTrack: string | null } | null;
  /**
   * What webhooks say about the lead after the move (hand-off's `leadPayload`). Null only for
   * moves into a stage no webhook here announces (a rule's MQL: its hand-off announces it).
   */
  lead: Record<string, unknown> | null;
}

/**
 * The one writer of lifecycle moves, for one lead or many, in the caller's transaction: the
 * contacts' stage, nurture period, stage times and funnel facts, the stage history and closing
 * the hand-offs a move ends, in one statement; then the webhooks announcing the move and the
 * nurture track.
 */
export async function writeStageChanges(
  trx: Db,
  workspaceId: string,
  changes: readonly StageChange[],
  now: number,
): Promise<void> {
  if (changes.length === 0) return;
  const at = new Date(now);
  const contacts = changes.map((change) => ({
    ...funnelFactsOf(change, at),
    id: change.contactId,
    stage: change.state.stage,
    nurture_until: change.state.nurtureUntil === null ? null : new Date(change.state.nurtureUntil).toISOString(),
    re_mql_count: change.state.reMqlCount,
    entered: change.to,
    by_sales: change.sales !== null,
    qualification: change.sales?.qualification ?? null,
    nurture_track: change.sales?.nurtureTrack ?? null,
  }));
  const closing = changes.filter((change) => closesHandoff(change.to));
  const closedRows = closing.map((change) => ({ contact_id: change.contactId, to_stage: change.to }));
  const closes =
    closing.length === 0
      ? sql``
      : sql`, closes as (update handoffs as h set status = 'closed', closed_reason = v.to_stage
        from jsonb_to_recordset(${jsonRows(closedRows)}) as v(contact_id uuid, to_stage text)
        where h.workspace_id = ${workspaceId} and h.contact_id = v.contact_id and h.status = 'open')`;
  // Three tables, no row written twice: one statement, one round trip. The contacts take their
  // first MQL move from the history rows the statement inserts (`moved`), for the ids.
  await sql`with moved as (${stageHistoryInsert(workspaceId, changes, now)}
      returning id, contact_id, from_stage, to_stage, at, playbook_version, score_snapshot)
    ${closes}
    update contacts as c set
      stage = v.stage, nurture_until = v.nurture_until, re_mql_count = v.re_mql_count,
      stage_entered_at = c.stage_entered_at || jsonb_build_object(v.entered, ${at.toISOString()}::text),
      qualification = case when v.by_sales then v.qualification else c.qualification end,
      nurture_track = case when v.by_sales then v.nurture_track else c.nurture_track end,
      funnel_first_move_at = least(c.funnel_first_move_at, v.first_move_at),
      funnel_reached = greatest(c.funnel_reached, v.reached),
      funnel_first_mql_at = case when ${EARLIER} then m.mql_at else c.funnel_first_mql_at end,
      funnel_first_mql_move = case when ${EARLIER} then m.mql_move else c.funnel_first_mql_move end,
      funnel_first_mql_version = case when ${EARLIER} then m.mql_version else c.funnel_first_mql_version end,
      funnel_first_mql_grade = case when ${EARLIER} then m.mql_grade else c.funnel_first_mql_grade end,
      funnel_first_mql_temperature = case when ${EARLIER} then m.mql_temperature else c.funnel_first_mql_temperature end,
      updated_at = ${at}
    from jsonb_to_recordset(${jsonRows(contacts)}) as v(id uuid, stage text, nurture_until timestamptz,
      re_mql_count integer, entered text, first_move_at timestamptz, reached integer,
      by_sales boolean, qualification jsonb, nurture_track text)
    left join (
      select distinct on (contact_id) contact_id, at as mql_at, id as mql_move, playbook_version as mql_version,
        score_snapshot->>'grade' as mql_grade, score_snapshot->>'temperature' as mql_temperature
      from moved where to_stage = 'mql' and from_stage is distinct from to_stage
      order by contact_id, at, id
    ) m on m.contact_id = v.id
    where c.workspace_id = ${workspaceId} and c.id = v.id`.execute(trx);
  await enqueueWebhooks(trx, workspaceId, changes.flatMap(announcementsOf), now);
}

/**
 * Stage history rows, one statement for any number. Besides moves, a reassignment is recorded
 * here as a row whose stage does not change.
 */
export async function writeStageHistory(
  trx: Db,
  workspaceId: string,
  entries: ReadonlyArray<HistoryEntry>,
  now: number,
): Promise<void> {
  if (entries.length === 0) return;
  await stageHistoryInsert(workspaceId, entries, now).execute(trx);
}

type HistoryEntry = Omit<StageChange, 'state' | 'sales' | 'lead'>;

/**
 * What a move adds to the contact's funnel facts, folded in with `least` and `greatest` (null
 * adds nothing) as migration 0019's trigger on the stage history would: the trigger then finds
 * them up to date and writes no second version of the contact. A reassignment is no move. Its
 * first MQL move comes from the inserted history rows (`EARLIER`).
 */
function funnelFactsOf(change: StageChange, at: Date) {
  const moved = change.from !== change.to;
  return {
    first_move_at: moved ? at.toISOString() : null,
    reached: moved && isFunnelStage(change.to) ? funnelRank(change.to) : null,
  };
}

/**
 * Whether the contact `c`'s first move into `mql` becomes the inserted one `m` (`mql_at`,
 * `mql_move`): it has none yet, or the inserted one came first (ties: the row stored first).
 * Migration 0021's trigger decides the same, word for word, and then has nothing to write.
 */
const EARLIER = sql`(m.mql_move is not null and (c.funnel_first_mql_move is null
  or (m.mql_at, m.mql_move) < (c.funnel_first_mql_at, c.funnel_first_mql_move)))`;

function stageHistoryInsert(workspaceId: string, entries: ReadonlyArray<HistoryEntry>, now: number) {
  const rows = entries.map((entry) => ({
    contact_id: entry.contactId,
    from_stage: entry.from,
    to_stage: entry.to,
    actor: entry.actor,
    transition: entry.transition,
    rule: entry.rule,
    reason: entry.reason,
    playbook_version: entry.playbookVersion,
    score_snapshot: entry.scoreSnapshot,
  }));
  return sql`insert into stage_history (workspace_id, contact_id, from_stage, to_stage, at, actor, transition, rule,
      reason, playbook_version, score_snapshot)
    select ${workspaceId}, v.contact_id, v.from_stage, v.to_stage, ${new Date(now)}, v.actor, v.transition, v.rule,
      v.reason, v.playbook_version, v.score_snapshot
    from jsonb_to_recordset(${jsonRows(rows)}) as v(contact_id uuid, from_stage text, to_stage text,
      actor text, transition text, rule text, reason text, playbook_version integer, score_snapshot jsonb)`;
}

function announcementsOf(change: StageChange): Array<{ type: WebhookEventType; data: Record<string, unknown> }> {
  const type = stageWebhook(change.to);
  const announcements: Array<{ type: WebhookEventType; data: Record<string, unknown> }> = [];
  if (type === null && change.sales?.nurtureTrack == null) return announcements;
  if (change.lead === null) {
    throw new Error(`a move to ${change.to} is announced by webhook: the change must carry its lead`);
  }
  const payload = { lead: change.lead, from: change.from, to: change.to, reason: change.reason, by: change.actor };
  if (type !== null) announcements.push({ type, data: payload });
  const track = change.sales?.nurtureTrack ?? null;
  if (track !== null) {
    const { nurtureUntil } = change.state;
    announcements.push({
      type: 'lead.nurture',
      data: { ...payload, track, nurtureUntil: nurtureUntil === null ? null : new Date(nurtureUntil).toISOString() },
    });
  }
  return announcements;
}
