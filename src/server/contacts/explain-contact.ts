import type { CompiledPlaybook } from '../../core/playbook/compile-playbook.ts';
import {
  applyEngagementEvents,
  type EngagementState,
  emptyEngagementState,
} from '../../core/scoring/engagement-state.ts';
import { fromCenti } from '../../core/scoring/points.ts';
import { type ContactScore, scoreContact } from '../../core/scoring/score-contact.ts';
import type { Db } from '../db/open-database.ts';
import { scoringSubjects } from '../lifecycle/load-leads.ts';
import { loadContactEvents, loadScoringRows } from '../scoring/load-scoring-rows.ts';
import { earliestCountable } from '../scoring/score-contacts.ts';

/** A score explanation in points: every line, with the lines summing exactly to each total. */
export function explanationView(score: ContactScore, version: number) {
  return {
    at: new Date(score.at).toISOString(),
    playbookVersion: version,
    cell: `${score.grade}-${score.temperature}`,
    fit: {
      points: fromCenti(score.fitCenti),
      grade: score.grade,
      lines: score.fitLines.map(({ centi, ...line }) => ({ ...line, points: fromCenti(centi) })),
    },
    engagement: {
      points: fromCenti(score.engagementCenti),
      temperature: score.temperature,
      lines: score.engagementLines.map((line) => {
        if (line.kind !== 'rule') {
          const { centi, ...rest } = line;
          return { ...rest, points: fromCenti(centi) };
        }
        return {
          kind: line.kind,
          group: line.group,
          rule: line.rule,
          label: line.label,
          matched: line.matched,
          counted: line.counted,
          rawPoints: fromCenti(line.rawCenti),
          points: fromCenti(line.centi),
          halfLifeDays: line.halfLifeMs === null ? null : line.halfLifeMs / 86_400_000,
          events: line.events.map((event) => ({
            messageId: event.id,
            at: new Date(event.at).toISOString(),
            rawPoints: fromCenti(event.rawCenti),
            points: fromCenti(event.centi),
          })),
        };
      }),
    },
    combined: { points: fromCenti(score.combinedCenti), ...score.weights },
  };
}
export type ExplanationView = ReturnType<typeof explanationView>;

/**
 * Explains the score the contact shows: as of when it was last scored under the active
 * playbook (its saved engagement state at `scored_at`), so every total equals the stored one;
 * scored live at `now` when this playbook has not scored it yet. The view's `at` says which.
 * Null when the contact does not exist.
 */
export async function explainContact(
  db: Db,
  workspaceId: string,
  contactId: string,
  playbook: CompiledPlaybook,
  now: number,
): Promise<{ score: ContactScore; view: ExplanationView } | null> {
  const [row] = await loadScoringRows(db, workspaceId, [contactId], false);
  if (!row) return null;
  const scored = await db
    .selectFrom('contacts')
    .select('scored_at')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .executeTakeFirst();
  const scoredAt = scored?.scored_at?.getTime() ?? null;
  let state: EngagementState;
  let at = now;
  if (row.playbook_version === playbook.version && row.engagement_state !== null && scoredAt !== null) {
    at = scoredAt;
    state = applyEngagementEvents(playbook.document, row.engagement_state as EngagementState, [], at);
  } else {
    const events = await loadContactEvents(db, workspaceId, [contactId], earliestCountable(playbook, now));
    state = applyEngagementEvents(playbook.document, emptyEngagementState(), events.get(contactId) ?? [], now);
  }
  const score = scoreContact(playbook.document, scoringSubjects(row), state, at);
  return { score, view: explanationView(score, playbook.version) };
}
