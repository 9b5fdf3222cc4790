import type { CompiledPlaybook } from '../../core/playbook/compile-playbook.ts';
import { applyEngagementEvents, emptyEngagementState } from '../../core/scoring/engagement-state.ts';
import { fromCenti } from '../../core/scoring/points.ts';
import { scoreContact } from '../../core/scoring/score-contact.ts';
import type { Db } from '../db/open-database.ts';
import { scoringSubjects } from '../lifecycle/load-leads.ts';
import { loadContactEvents, loadScoringRows } from '../scoring/load-scoring-rows.ts';
import { earliestCountable } from '../scoring/score-contacts.ts';

const DAY_MS = 86_400_000;

export interface ScorePoint {
  at: string;
  fit: number;
  engagement: number;
  score: number;
}

/**
 * A contact's score at the end of each of the last `days` days (the last point is now),
 * replayed from its events under the active playbook: engagement decays and grows as it
 * did; fit is taken from the profile as it is today (profiles keep no history).
 */
export async function scoreHistory(
  db: Db,
  workspaceId: string,
  contactId: string,
  playbook: CompiledPlaybook,
  now: number,
  days = 90,
): Promise<ScorePoint[] | null> {
  const [row] = await loadScoringRows(db, workspaceId, [contactId], false);
  if (!row) return null;
  const first = now - (days - 1) * DAY_MS;
  const events =
    (await loadContactEvents(db, workspaceId, [contactId], earliestCountable(playbook, first))).get(contactId) ?? [];
  const subjects = scoringSubjects(row);
  const points: ScorePoint[] = [];
  let state = emptyEngagementState();
  let next = 0;
  for (let day = 0; day < days; day++) {
    const at = day === days - 1 ? now : first + day * DAY_MS;
    const upTo = [];
    while (next < events.length && (events[next]?.occurredAt ?? Number.POSITIVE_INFINITY) <= at) {
      const event = events[next++];
      if (event) upTo.push(event);
    }
    state = applyEngagementEvents(playbook.document, state, upTo, at);
    const score = scoreContact(playbook.document, subjects, state, at);
    points.push({
      at: new Date(at).toISOString(),
      fit: fromCenti(score.fitCenti),
      engagement: fromCenti(score.engagementCenti),
      score: fromCenti(score.combinedCenti),
    });
  }
  return points;
}
