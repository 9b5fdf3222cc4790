import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type LeadPreview, previewLead } from '../../core/lifecycle/preview-lead.ts';
import {
  emptyImpactTally,
  type ImpactExample,
  type ImpactKind,
  listTransitions,
  type Transition,
  tallyImpact,
} from '../../core/lifecycle/tally-impact.ts';
import { type CompiledPlaybook, compilePlaybook } from '../../core/playbook/compile-playbook.ts';
import { type PlaybookIssue, parsePlaybook } from '../../core/playbook/parse-playbook.ts';
import type { PlaybookStore } from '../../core/playbook/playbook-store.ts';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import { fromCenti } from '../../core/scoring/points.ts';
import type { Db } from '../db/open-database.ts';
import { scoringSubjects } from '../lifecycle/load-leads.ts';
import { loadContactEvents, loadScoringRows } from '../scoring/load-scoring-rows.ts';
import { earliestCountable } from '../scoring/score-contacts.ts';

/** A lead's figures as the preview shows them, in points. */
export interface PreviewFigures {
  score: number;
  fit: number;
  engagement: number;
  grade: string;
  temperature: string;
  stage: string;
}

export interface ImpactExampleView {
  id: string;
  name: string | null;
  email: string | null;
  before: PreviewFigures;
  after: PreviewFigures;
}

export interface ImpactReport {
  /** The published version the draft is compared with. */
  version: number;
  contacts: number;
  scoreChanged: number;
  changed: Record<ImpactKind, number>;
  transitions: { grade: Transition[]; temperature: Transition[]; stage: Transition[] };
  examples: Record<ImpactKind, ImpactExampleView[]>;
  /** Scored at this instant, under both playbooks. */
  at: string;
  tookMs: number;
}

export type ImpactFailure = Failure<'invalid-playbook' | 'no-playbook'>;

/** A draft never published: what the preview compiles it as. */
const DRAFT_VERSION = 0;

/**
 * What publishing a draft would do to every lead of a workspace: each lead is rescored under
 * the published playbook and under the draft at the same `now` (as a publish would, by
 * `rescoreLead`), in id-ordered batches, and only the totals and a few examples are kept.
 * It writes nothing and locks nothing.
 */
export async function previewDraftImpact(
  deps: { db: Db; playbooks: PlaybookStore; clock: () => number },
  workspaceId: string,
  source: string,
  options: { batchSize?: number } = {},
): Promise<Result<ImpactReport, ImpactFailure>> {
  const parsed = parsePlaybook(source);
  if (!parsed.ok) return err(invalid(parsed.error));
  const published = await deps.playbooks.active(workspaceId);
  if (!published) return err({ kind: 'no-playbook', message: 'no playbook published yet: publish one first' });
  const draft = compilePlaybook(parsed.value, DRAFT_VERSION);
  return ok(await compareOverLeads(deps, workspaceId, published, draft, options.batchSize ?? 500));
}

function invalid(issues: PlaybookIssue[]): ImpactFailure {
  return { kind: 'invalid-playbook', message: issues[0]?.message ?? 'invalid playbook', details: issues };
}

async function compareOverLeads(
  deps: { db: Db; clock: () => number },
  workspaceId: string,
  published: CompiledPlaybook,
  draft: CompiledPlaybook,
  batchSize: number,
): Promise<ImpactReport> {
  const started = performance.now();
  const now = deps.clock();
  const since = Math.min(earliestCountable(published, now), earliestCountable(draft, now));
  const tally = emptyImpactTally();
  const load = (after: string | null) => {
    const batch = loadBatch(deps.db, workspaceId, after, since, batchSize);
    // Awaited on the next turn; should scoring throw first, its failure must not go unhandled.
    batch.catch(() => undefined);
    return batch;
  };
  let next = load(null);
  for (;;) {
    const batch = await next;
    if (batch.last === null) break;
    // The next batch is read while this one is scored: the database works as the CPU does.
    next = load(batch.last);
    for (const [index, row] of batch.rows.entries()) {
      // Other requests get a turn between chunks, as in rescoring.
      if (index % 64 === 63) await yieldToEventLoop();
      const { contact, company } = scoringSubjects(row);
      const lead = {
        stage: row.stage,
        nurtureUntil: row.nurture_until?.getTime() ?? null,
        reMqlCount: row.re_mql_count,
        predicted: row.predicted,
        contact,
        company,
        engagement: { recompute: batch.history.get(row.id) ?? [] },
      };
      const who = { id: row.id, name: displayName(row), email: row.email };
      tallyImpact(tally, who, previewLead(published, lead, now), previewLead(draft, lead, now));
    }
  }
  return {
    version: published.version,
    contacts: tally.contacts,
    scoreChanged: tally.scoreChanged,
    changed: tally.changed,
    transitions: {
      grade: listTransitions(tally.grades),
      temperature: listTransitions(tally.temperatures),
      stage: listTransitions(tally.stages),
    },
    examples: {
      grade: tally.examples.grade.map(exampleView),
      temperature: tally.examples.temperature.map(exampleView),
      stage: tally.examples.stage.map(exampleView),
      unqualified: tally.examples.unqualified.map(exampleView),
    },
    at: new Date(now).toISOString(),
    tookMs: Math.round(performance.now() - started),
  };
}

/** The next `size` leads after `after` in id order (keyset), with their countable events; nothing locked. */
async function loadBatch(db: Db, workspaceId: string, after: string | null, since: number, size: number) {
  let query = db.selectFrom('contacts').select('id').where('workspace_id', '=', workspaceId).orderBy('id').limit(size);
  if (after !== null) query = query.where('id', '>', after);
  const ids = (await query.execute()).map((row) => row.id);
  const rows = await loadScoringRows(db, workspaceId, ids, false);
  const history = await loadContactEvents(db, workspaceId, ids, since);
  return { rows, history, last: ids[ids.length - 1] ?? null };
}

function displayName(row: { first_name: string | null; last_name: string | null }): string | null {
  const name = [row.first_name, row.last_name].filter(Boolean).join(' ');
  return name === '' ? null : name;
}

function exampleView(example: ImpactExample): ImpactExampleView {
  return { ...example.contact, before: figures(example.before), after: figures(example.after) };
}

function figures(preview: LeadPreview): PreviewFigures {
  return {
    score: fromCenti(preview.combinedCenti),
    fit: fromCenti(preview.fitCenti),
    engagement: fromCenti(preview.engagementCenti),
    grade: preview.grade,
    temperature: preview.temperature,
    stage: preview.stage,
  };
}
