import type { CompiledPlaybook } from '../../core/playbook/compile-playbook.ts';
import { createSplitRandom } from '../../core/predict/create-split-random.ts';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import { applyEngagementEvents, emptyEngagementState } from '../../core/scoring/engagement-state.ts';
import { scoreContact } from '../../core/scoring/score-contact.ts';
import { type RuleColumn, ruleColumns, ruleFeatures } from '../../core/suggest/rule-features.ts';
import { type SuggestionRefusal, suggestPoints } from '../../core/suggest/suggest-points.ts';
import { writeSuggestedDraft } from '../../core/suggest/suggested-draft.ts';
import type { PlaybookSuggestion } from '../../core/suggest/suggestion-view.ts';
import type { ServiceDeps } from '../http/route-deps.ts';
import { scoringSubjects } from '../lifecycle/load-leads.ts';
import { type LabelledTarget, loadTrainingSet } from '../predict/load-training-set.ts';
import { loadContactEvents, loadScoringRows } from '../scoring/load-scoring-rows.ts';
import { earliestCountable } from '../scoring/score-contacts.ts';

export type SuggestionFailure = SuggestionRefusal | Failure<'no-playbook'>;

/** Outcomes whose scores are rebuilt at once. */
const CHUNK = 1000;

/**
 * Point values for the published playbook's fit and engagement rules learned from the
 * workspace's won and lost leads (docs/backtest.md): each lead is scored by the published
 * playbook as of its hand-off (its first move into mql, or its decision when it never was
 * one), as the predictive model reads it; `suggestPoints` fits the points; the answer holds a
 * draft to backtest. Reads only.
 */
export async function suggestPlaybook(
  deps: ServiceDeps,
  workspaceId: string,
): Promise<Result<PlaybookSuggestion, SuggestionFailure>> {
  const published = await deps.playbooks.active(workspaceId);
  if (published === null) {
    return err({ kind: 'no-playbook', message: 'no playbook published yet: publish one, then ask for a suggestion' });
  }
  const targets = await loadTrainingSet(deps.db, workspaceId);
  const columns = ruleColumns(published.document);
  const rows: Float64Array[] = [];
  for (let start = 0; start < targets.length; start += CHUNK) {
    rows.push(...(await scoreAtHandoff(deps, workspaceId, published, targets.slice(start, start + CHUNK), columns)));
  }
  const suggestion = suggestPoints({
    columns,
    rows,
    labels: targets.map((target) => target.label),
    random: createSplitRandom(1),
  });
  if (!suggestion.ok) return suggestion;
  const { source } = await deps.db
    .selectFrom('playbook_versions')
    .select('source')
    .where('workspace_id', '=', workspaceId)
    .where('version', '=', published.version)
    .executeTakeFirstOrThrow();
  const { name } = published.document;
  const draft = writeSuggestedDraft({ source, name }, columns, suggestion.value, new Date(deps.clock()));
  return ok({
    basedOn: { version: published.version, name },
    outcomes: suggestion.value.outcomes,
    won: suggestion.value.won,
    auc: suggestion.value.auc,
    pointsToDoubleOdds: Math.round(suggestion.value.pointsPerLogOdds * Math.LN2 * 10) / 10,
    changed: suggestion.value.rules.filter((rule) => rule.suggested !== rule.published).length,
    rules: suggestion.value.rules,
    draft,
  });
}

/** Each target's rule amounts in its published score as of its hand-off, in the targets' order. */
async function scoreAtHandoff(
  deps: ServiceDeps,
  workspaceId: string,
  published: CompiledPlaybook,
  chunk: readonly LabelledTarget[],
  columns: readonly RuleColumn[],
): Promise<Float64Array[]> {
  const ids = chunk.map((target) => target.contactId);
  const earliest = Math.min(...chunk.map((target) => earliestCountable(published, target.asOf.getTime())));
  const [contacts, events] = await Promise.all([
    loadScoringRows(deps.db, workspaceId, ids, false),
    loadContactEvents(deps.db, workspaceId, ids, earliest),
  ]);
  const byId = new Map(contacts.map((row) => [row.id, row]));
  return chunk.map((target) => {
    const asOf = target.asOf.getTime();
    const row = byId.get(target.contactId);
    const subject = row ? scoringSubjects(row) : { contact: {}, company: null };
    const before = (events.get(target.contactId) ?? []).filter((event) => event.occurredAt <= asOf);
    const state = applyEngagementEvents(published.document, emptyEngagementState(), before, asOf);
    return ruleFeatures(columns, scoreContact(published.document, subject, state, asOf));
  });
}
