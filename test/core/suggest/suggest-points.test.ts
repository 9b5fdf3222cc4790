import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlaybook } from '../../../src/core/playbook/parse-playbook.ts';
import type { Playbook } from '../../../src/core/playbook/playbook-schema.ts';
import { createSplitRandom } from '../../../src/core/predict/create-split-random.ts';
import { applyEngagementEvents, emptyEngagementState } from '../../../src/core/scoring/engagement-state.ts';
import { scoreContact } from '../../../src/core/scoring/score-contact.ts';
import { type RuleColumn, ruleColumns, ruleFeatures } from '../../../src/core/suggest/rule-features.ts';
import { MIN_RULE_LEADS, suggestPoints } from '../../../src/core/suggest/suggest-points.ts';
import { writeSuggestedDraft } from '../../../src/core/suggest/suggested-draft.ts';
import { createRandom } from '../../../src/demo/seeded-random.ts';
import { DAY } from '../../helpers/time.ts';

const SOURCE = readFileSync(new URL('../../../playbooks/default.yaml', import.meta.url), 'utf8');

function defaultPlaybook(): Playbook {
  const parsed = parsePlaybook(SOURCE);
  if (!parsed.ok) throw new Error('the default playbook must parse');
  return parsed.value;
}

const COLUMNS = ruleColumns(defaultPlaybook());
const at = (rule: string) => COLUMNS.findIndex((column) => column.rule === rule);

/**
 * Outcomes whose truth is the published points plus three surprises: `revenue` is worth far more
 * than its 5 points, `smb` far less than its 18 (it hurts, in truth), and a personal email helps
 * instead of costing 15. A few rules never match, one matches too few leads.
 */
function outcomes(count: number, seed: number, truth: (points: number, row: Float64Array) => number) {
  const random = createRandom(seed);
  const rows: Float64Array[] = [];
  const labels: number[] = [];
  for (let lead = 0; lead < count; lead += 1) {
    const row = new Float64Array(COLUMNS.length);
    COLUMNS.forEach((column, index) => {
      if (['student', 'undeliverable-email', 'spam-complaint'].includes(column.rule)) return;
      if (column.rule === 'trial-started') row[index] = lead < MIN_RULE_LEADS - 1 ? 1 : 0;
      else if (column.side === 'fit') row[index] = random.chance(0.3) ? 1 : 0;
      else row[index] = random.chance(0.4) ? random.next() * 3 : 0;
    });
    const points = COLUMNS.reduce((sum, column, index) => sum + column.points * row[index]!, 0);
    labels.push(random.next() < 1 / (1 + Math.exp(-truth(points, row))) ? 1 : 0);
    rows.push(row);
  }
  return { rows, labels };
}

const surprising = (points: number, row: Float64Array) =>
  -2.2 + 0.04 * points + 1.2 * row[at('revenue')]! - 1.2 * row[at('smb')]! + 1.2 * row[at('personal-email')]!;

describe('suggested points', () => {
  const { rows, labels } = outcomes(3000, 7, surprising);
  const suggestion = suggestPoints({ columns: COLUMNS, rows, labels, random: createSplitRandom(1) });
  if (!suggestion.ok) throw new Error(suggestion.error.message);
  const rule = (id: string) => suggestion.value.rules.find((item) => item.rule === id)!;

  it('moves the rules the outcomes contradict, in the direction they show', () => {
    expect(rule('revenue').status).toBe('fitted');
    expect(rule('revenue').suggested).toBeGreaterThan(rule('revenue').published + 15);
    expect(rule('revenue').oddsRatio).toBeGreaterThan(2);
    expect(rule('smb').oddsRatio).toBeLessThan(1);
  });

  it('stops a rule at zero rather than turning it against its sign', () => {
    // In truth smb costs 1.2 log-odds beyond its 18 points (−12 points), a personal email gains
    // 1.2 (+15): the suggestion takes both to nothing, never past it.
    expect(rule('smb')).toMatchObject({ status: 'fitted', published: 18, suggested: 0 });
    expect(rule('personal-email')).toMatchObject({ status: 'fitted', published: -15, suggested: 0 });
    expect(rule('personal-email').oddsRatio).toBeGreaterThan(1);
  });

  it('learns the rate a point is worth from the published score', () => {
    // The truth's 0.04 log-odds a point, blurred by the two surprises.
    expect(suggestion.value.pointsPerLogOdds).toBeGreaterThan(15);
    expect(suggestion.value.pointsPerLogOdds).toBeLessThan(40);
    expect(suggestion.value.auc.suggested).toBeGreaterThan(suggestion.value.auc.published);
  });

  it('keeps the points of rules it cannot learn, and says why', () => {
    expect(rule('student')).toMatchObject({ status: 'never-matched', leads: 0, suggested: -30, oddsRatio: null });
    expect(rule('spam-complaint')).toMatchObject({ status: 'never-matched', suggested: -30 });
    expect(rule('trial-started')).toMatchObject({ status: 'too-few-leads', leads: MIN_RULE_LEADS - 1, suggested: 30 });
  });

  it('keeps each side’s average score, so bands and thresholds keep their meaning', () => {
    for (const side of ['fit', 'engagement'] as const) {
      const average = (points: (index: number) => number) =>
        rows.reduce(
          (sum, row) =>
            sum +
            COLUMNS.reduce(
              (total, column, index) =>
                total +
                (column.side === side && rule(column.rule).status === 'fitted' ? points(index) * row[index]! : 0),
              0,
            ),
          0,
        ) / rows.length;
      const published = average((index) => COLUMNS[index]!.points);
      const suggested = average((index) => suggestion.value.rules[index]!.suggested);
      const rescale = suggestion.value.rescale[side];
      if (rescale > 0.5 && rescale < 2) expect(Math.abs(suggested - published)).toBeLessThan(0.02 * published + 1);
    }
  });

  it('leaves the published points alone when the outcomes agree with them', () => {
    const agreeing = outcomes(3000, 11, (points) => -2.2 + 0.04 * points);
    const result = suggestPoints({ columns: COLUMNS, ...agreeing, random: createSplitRandom(1) });
    if (!result.ok) throw new Error(result.error.message);
    const moved = result.value.rules.map((item) => Math.abs(item.suggested - item.published));
    // Noise moves a rule a little; nothing moves like the surprises above.
    expect(Math.max(...moved)).toBeLessThan(12);
    expect(moved.reduce((sum, value) => sum + value, 0) / moved.length).toBeLessThan(4);
  });

  it('refuses too few outcomes, and points that do not rank outcomes at all', () => {
    const few = outcomes(80, 3, surprising);
    const refused = suggestPoints({ columns: COLUMNS, ...few, random: createSplitRandom(1) });
    expect(refused.ok ? null : refused.error.kind).toBe('too_few_outcomes');
    const backwards = outcomes(600, 5, (points) => 2 - 0.05 * points);
    const result = suggestPoints({ columns: COLUMNS, ...backwards, random: createSplitRandom(1) });
    expect(result.ok ? null : result.error).toMatchObject({
      kind: 'not-predictive',
      message: expect.stringContaining('do not rank won leads above lost ones'),
    });
  });

  it('writes a draft that is the published YAML with only the points and the name changed', () => {
    const draft = writeSuggestedDraft(
      { source: SOURCE, name: 'Default B2B playbook' },
      COLUMNS,
      suggestion.value,
      new Date(Date.UTC(2026, 11, 5)),
    );
    expect(draft).toMatch(/^# Suggested by Ripen on 2026-12-05 from 3000 outcomes \(\d+ won\)/);
    // Comments and anchors stay as written.
    expect(draft).toContain('# Fit = who they are');
    expect(draft).toContain('when: *executive');
    const parsed = parsePlaybook(draft);
    if (!parsed.ok) throw new Error(parsed.error[0]?.message);
    expect(parsed.value.name).toBe('Default B2B playbook (suggested)');
    const points = (playbook: Playbook) => ruleColumns(playbook).map((column: RuleColumn) => column.points);
    expect(points(parsed.value)).toEqual(suggestion.value.rules.map((item) => item.suggested));
    const restored = structuredClone(parsed.value);
    restored.name = 'Default B2B playbook';
    ruleColumns(defaultPlaybook()).forEach((column) => {
      const side = restored[column.side].groups[column.path[2]]!;
      side.rules[column.path[4]]!.points = column.points;
    });
    expect(restored).toEqual(defaultPlaybook());
  });
});

describe('rule amounts read from a score', () => {
  it('give back every rule line of the explanation: points × amount is the line', () => {
    const playbook = defaultPlaybook();
    const now = Date.UTC(2026, 5, 1);
    const events = [
      { id: 'a', type: 'page' as const, name: 'Pricing', properties: { path: '/pricing' }, occurredAt: now - 3 * DAY },
      { id: 'b', type: 'page' as const, name: 'Pricing', properties: { path: '/pricing' }, occurredAt: now - 20 * DAY },
      { id: 'c', type: 'track' as const, name: 'Ebook Downloaded', properties: {}, occurredAt: now - 40 * DAY },
      { id: 'd', type: 'track' as const, name: 'Trial Started', properties: {}, occurredAt: now - 1 * DAY },
    ].map((event) => ({ ...event, context: {}, source: null, messageId: event.id }));
    const state = applyEngagementEvents(playbook, emptyEngagementState(), events, now);
    const subject = {
      contact: { email: 'ana@example.com', jobTitle: 'VP Marketing', role: 'marketing', phone: '+47 000' },
      company: { employees: 400, industry: 'software', foundedYear: 2001 },
    };
    const score = scoreContact(playbook, subject, state, now);
    const amounts = ruleFeatures(COLUMNS, score);
    const lines = [
      ...score.fitLines.map((line) => ({ side: 'fit', line })),
      ...score.engagementLines.map((line) => ({ side: 'engagement', line })),
    ].filter((item) => item.line.kind === 'rule');
    expect(lines.length).toBeGreaterThan(6);
    for (const { side, line } of lines) {
      if (line.kind !== 'rule') continue;
      const index = COLUMNS.findIndex((column) => column.side === side && column.rule === line.rule);
      // Each counted event's decay is rounded to a centi-point in the explanation.
      const events = 'events' in line ? line.events.length : 0;
      expect(Math.abs(COLUMNS[index]!.points * amounts[index]! * 100 - line.centi)).toBeLessThanOrEqual(events * 0.5);
    }
    const unmatched = COLUMNS.filter(
      (column) =>
        !lines.some((item) => item.line.kind === 'rule' && item.line.rule === column.rule && item.side === column.side),
    );
    for (const column of unmatched) expect(amounts[COLUMNS.indexOf(column)]).toBe(0);
  });
});
