import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { sql } from 'kysely';
import { rescoreLead } from '../../core/lifecycle/rescore-lead.ts';
import type { CompiledPlaybook } from '../../core/playbook/compile-playbook.ts';
import { StalePlaybookError } from '../../core/playbook/playbook-store.ts';
import { resolveEngagementRules } from '../../core/scoring/engagement-rules.ts';
import {
  type EngagementEvent,
  type EngagementState,
  emptyEngagementState,
} from '../../core/scoring/engagement-state.ts';
import { fromCenti } from '../../core/scoring/points.ts';
import type { ContactScore } from '../../core/scoring/score-contact.ts';
import { combineWrites, jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { scoringSubjects } from '../lifecycle/load-leads.ts';
import { type StageChange, writeStageChanges } from '../lifecycle/write-stage-changes.ts';
import { queueCompanyScores } from './company-scores.ts';
import { listCompanyContacts, loadContactEvents, loadScoringRows } from './load-scoring-rows.ts';

export interface ScoreRequest {
  contactIds: readonly string[];
  /** Events new to each contact since its state was saved (not yet in the state). */
  newEvents: ReadonlyMap<string, readonly EngagementEvent[]>;
  /** Recompute every contact from its stored events (a new playbook version). */
  full: boolean;
}

export interface ScoreOutcome {
  scored: number;
  /**
   * The leads the playbook moved, already written by the lifecycle writer. `at`: when the
   * qualifying action happened (see qualifyingTime); a hand-off's SLA clock starts there.
   */
  transitions: Array<{ contactId: string; from: string; to: string; rule: string; at: number }>;
}

/** The leads a rescore made MQL: the caller decides whether to hand them to sales (startHandoffs). */
export function qualifiedBy(outcome: ScoreOutcome): ScoreOutcome['transitions'] {
  return outcome.transitions.filter((transition) => transition.to === 'mql');
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
 * state (or recomputes from stored events when the playbook version changed), writes the
 * scores in one statement, and has the lifecycle writer record the moves the playbook makes
 * on its own. It starts no hand-off: the caller gets the new MQLs and decides.
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
  const updates: Array<{ id: string; engagement: number } & Record<string, unknown>> = [];
  const moves: StageChange[] = [];
  const transitions: ScoreOutcome['transitions'] = [];
  for (const [index, row] of rows.entries()) {
    // Let the event loop in between chunks: a pass over thousands of contacts would otherwise
    // hold up every ingest round trip for as long as the whole pass.
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
      moves.push({
        contactId: row.id,
        from: move.from,
        to: move.to,
        state: lifecycle,
        transition: move.kind,
        rule: move.rule,
        actor: `rule:${move.rule}`,
        reason: null,
        playbookVersion: playbook.version,
        scoreSnapshot: scoreSnapshot(score, playbook.version),
        sales: null,
        lead: null,
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
    });
  }
  // Its contacts' engagement makes the company score: the worker rolls it up after this commits,
  // for the companies where a contact's engagement changed.
  const engagementOf = new Map(updates.map((update) => [update.id, update.engagement]));
  const companyIds = playbook.document.company
    ? [
        ...new Set(
          rows.flatMap((row) =>
            row.company_id === null || engagementOf.get(row.id) === row.engagement ? [] : [row.company_id],
          ),
        ),
      ]
    : [];
  await writeScores(trx, workspaceId, playbook.version, now, updates, companyIds);
  await writeStageChanges(trx, workspaceId, moves, now);
  return { scored: rows.length, transitions };
}

async function writeScores(
  trx: Db,
  workspaceId: string,
  version: number,
  now: number,
  updates: object[],
  companyIds: readonly string[],
): Promise<void> {
  if (updates.length === 0) return;
  // The scores and the engagement states in one statement (one round trip); the two tables'
  // rows do not overlap, as combineWrites requires.
  const rows = jsonRows(updates);
  await combineWrites([
    sql`insert into contact_engagement as ce (workspace_id, contact_id, state)
      select ${workspaceId}, v.id, v.state from jsonb_to_recordset(${rows}) as v(id uuid, state jsonb)
      on conflict (workspace_id, contact_id) do update set state = excluded.state`,
    sql`update contacts as c set
      fit = v.fit, engagement = v.engagement, score = v.score, grade = v.grade, temperature = v.temperature,
      playbook_version = ${version}, scored_at = ${new Date(now)}, updated_at = now()
    from jsonb_to_recordset(${rows}) as v(id uuid, fit integer, engagement integer, score integer,
      grade text, temperature text)
    where c.workspace_id = ${workspaceId} and c.id = v.id`,
    queueCompanyScores(workspaceId, companyIds),
  ])?.execute(trx);
}

/** Rescores the contacts of companies whose properties changed, inside the caller's transaction (see scoreContacts). */
export async function rescoreCompanyContacts(
  trx: Db,
  workspaceId: string,
  playbook: CompiledPlaybook,
  now: number,
  companyIds: readonly string[],
): Promise<ScoreOutcome> {
  const contactIds = await listCompanyContacts(trx, workspaceId, companyIds);
  if (playbook.document.company) await queueCompanyScores(workspaceId, companyIds)?.execute(trx);
  return scoreContacts(trx, workspaceId, playbook, now, { contactIds, newEvents: new Map(), full: false });
}
