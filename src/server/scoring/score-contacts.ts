import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { sql } from 'kysely';
import { rescoreLead } from '../../core/lifecycle/rescore-lead.ts';
import type { CompiledPlaybook } from '../../core/playbook/compile-playbook.ts';
import { resolveEngagementRules } from '../../core/scoring/engagement-rules.ts';
import {
  type EngagementEvent,
  type EngagementState,
  emptyEngagementState,
} from '../../core/scoring/engagement-state.ts';
import { fromCenti } from '../../core/scoring/points.ts';
import type { ContactScore } from '../../core/scoring/score-contact.ts';
import { jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { startHandoffs } from '../handoff/start-handoffs.ts';
import { StalePlaybookError } from '../playbooks/playbook-store.ts';
import { listCompanyContacts, loadContactEvents, loadScoringRows, scoringSubjects } from './load-scoring-rows.ts';

export interface ScoreRequest {
  contactIds: readonly string[];
  /** Events new to each contact since its state was saved (not yet in the state). */
  newEvents: ReadonlyMap<string, readonly EngagementEvent[]>;
  /** Recompute every contact from its stored events (a new playbook version). */
  full: boolean;
}

export interface ScoreOutcome {
  scored: number;
  /** `at`: when the qualifying action happened (see qualifyingTime), for the SLA clock. */
  transitions: Array<{ contactId: string; from: string; to: string; rule: string; at: number }>;
}

/** The oldest event time any rule of the playbook can still count at `now`. */
export function earliestCountable(playbook: CompiledPlaybook, now: number): number {
  const lookbacks = resolveEngagementRules(playbook.document).map((rule) => rule.lookbackMs);
  return now - Math.max(0, ...lookbacks);
}

function readState(value: unknown): EngagementState {
  if (
    value !== null &&
    typeof value === 'object' &&
    'rules' in value &&
    typeof value.rules === 'object' &&
    value.rules !== null
  ) {
    return value as EngagementState;
  }
  return emptyEngagementState();
}

export function scoreSnapshot(score: ContactScore, version: number): Record<string, unknown> {
  return {
    fit: fromCenti(score.fitCenti),
    engagement: fromCenti(score.engagementCenti),
    score: fromCenti(score.combinedCenti),
    grade: score.grade,
    temperature: score.temperature,
    playbookVersion: version,
  };
}

/**
 * Rescores contacts inside the caller's transaction: folds new events into each saved
 * state (or recomputes from stored events when the playbook version changed), applies
 * automatic lifecycle moves, and writes scores and stage history in two statements.
 */
export async function scoreContacts(
  trx: Db,
  workspaceId: string,
  playbook: CompiledPlaybook,
  now: number,
  request: ScoreRequest,
): Promise<ScoreOutcome> {
  const rows = await loadScoringRows(trx, workspaceId, request.contactIds, true);
  const newer = rows.find((row) => row.playbook_version !== null && row.playbook_version > playbook.version);
  if (newer?.playbook_version) throw new StalePlaybookError(newer.playbook_version);
  const stale = rows.filter((row) => request.full || row.playbook_version !== playbook.version).map((row) => row.id);
  const history = await loadContactEvents(trx, workspaceId, stale, earliestCountable(playbook, now));
  const staleSet = new Set(stale);
  const updates: object[] = [];
  const historyRows: object[] = [];
  const transitions: ScoreOutcome['transitions'] = [];
  for (const [index, row] of rows.entries()) {
    // Let the event loop in between chunks: a pass over thousands of contacts is tens of
    // milliseconds of JavaScript that would otherwise hold up every ingest round trip.
    if (index % 64 === 63) await yieldToEventLoop();
    const { contact, company } = scoringSubjects(row);
    const { state, score, lifecycle, move } = rescoreLead(
      playbook,
      {
        stage: row.stage,
        nurtureUntil: row.nurture_until?.getTime() ?? null,
        reMqlCount: row.re_mql_count,
        predicted: row.predicted,
        contact,
        company,
        engagement: staleSet.has(row.id)
          ? { recompute: history.get(row.id) ?? [] }
          : { fold: readState(row.engagement_state), fresh: request.newEvents.get(row.id) ?? [] },
      },
      now,
    );
    if (move !== null) {
      transitions.push({ contactId: row.id, from: move.from, to: move.to, rule: move.rule, at: move.at });
      historyRows.push({
        contact_id: row.id,
        from_stage: move.from,
        to_stage: move.to,
        actor: `rule:${move.rule}`,
        transition: move.kind,
        rule: move.rule,
        playbook_version: playbook.version,
        score_snapshot: scoreSnapshot(score, playbook.version),
      });
    }
    updates.push({
      id: row.id,
      fit: score.fitCenti,
      engagement: score.engagementCenti,
      score: score.combinedCenti,
      grade: score.grade,
      temperature: score.temperature,
      state,
      stage: lifecycle.stage,
      nurture_until: lifecycle.nurtureUntil === null ? null : new Date(lifecycle.nurtureUntil).toISOString(),
      re_mql_count: lifecycle.reMqlCount,
      entered: move?.to ?? null,
    });
  }
  await writeScores(trx, workspaceId, playbook.version, now, updates, historyRows);
  const qualified = transitions.filter((transition) => transition.to === 'mql');
  await startHandoffs(trx, workspaceId, playbook, now, qualified);
  return { scored: rows.length, transitions };
}

async function writeScores(
  trx: Db,
  workspaceId: string,
  version: number,
  now: number,
  updates: object[],
  historyRows: object[],
): Promise<void> {
  const at = new Date(now);
  if (updates.length > 0) {
    await sql`update contacts as c set
        fit = v.fit, engagement = v.engagement, score = v.score, grade = v.grade, temperature = v.temperature,
        engagement_state = v.state, playbook_version = ${version}, scored_at = ${at},
        stage = v.stage, nurture_until = v.nurture_until, re_mql_count = v.re_mql_count,
        stage_entered_at = case when v.entered is null then c.stage_entered_at
          else c.stage_entered_at || jsonb_build_object(v.entered, ${at.toISOString()}::text) end,
        updated_at = now()
      from jsonb_to_recordset(${jsonRows(updates)}) as v(id uuid, fit integer, engagement integer, score integer,
        grade text, temperature text, state jsonb, stage text, nurture_until timestamptz, re_mql_count integer, entered text)
      where c.workspace_id = ${workspaceId} and c.id = v.id`.execute(trx);
  }
  if (historyRows.length > 0) {
    await sql`insert into stage_history (workspace_id, contact_id, from_stage, to_stage, at, actor, transition, rule,
        playbook_version, score_snapshot)
      select ${workspaceId}, v.contact_id, v.from_stage, v.to_stage, ${at}, v.actor, v.transition, v.rule,
        v.playbook_version, v.score_snapshot
      from jsonb_to_recordset(${jsonRows(historyRows)}) as v(contact_id uuid, from_stage text, to_stage text,
        actor text, transition text, rule text, playbook_version integer, score_snapshot jsonb)`.execute(trx);
  }
}

/** Rescores the contacts of companies whose properties changed, inside the caller's transaction. */
export async function rescoreCompanyContacts(
  trx: Db,
  workspaceId: string,
  playbook: CompiledPlaybook,
  now: number,
  companyIds: readonly string[],
): Promise<ScoreOutcome> {
  const contactIds = await listCompanyContacts(trx, workspaceId, companyIds);
  return scoreContacts(trx, workspaceId, playbook, now, { contactIds, newEvents: new Map(), full: false });
}
