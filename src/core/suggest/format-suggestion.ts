import { formatRate, formatTable } from '../insight/format-report.ts';
import type { PlaybookSuggestion, SuggestedRuleView } from './suggestion-view.ts';

const left = (title: string) => ({ title, align: 'left' as const });
const right = (title: string) => ({ title, align: 'right' as const });

const STATUS: Record<SuggestedRuleView['status'], string> = {
  fitted: '',
  'never-matched': 'kept: no lead matched',
  'too-few-leads': 'kept: too few leads',
  'every-lead': 'kept: every lead alike',
};

const signed = (value: number) => (value > 0 ? `+${value}` : String(value));

/** The suggestion for a terminal: how well each ranks the outcomes, then every rule, changed ones first. */
export function formatSuggestion(suggestion: PlaybookSuggestion): string {
  const { basedOn, outcomes, won, auc } = suggestion;
  const rules = [...suggestion.rules].sort(
    (a, b) => Math.abs(b.suggested - b.published) - Math.abs(a.suggested - a.published),
  );
  return [
    `Suggested points for "${basedOn.name}" (v${basedOn.version}) from ${outcomes} outcomes (${won} won), each lead as scored when it reached sales.`,
    `Ranking of won above lost leads (AUC): published points ${auc.published.toFixed(3)}, suggested ${auc.suggested.toFixed(3)} (cross-validated).`,
    `${suggestion.pointsToDoubleOdds} points of the published score double the odds of a win; ${suggestion.changed} rules change.`,
    '',
    formatTable(
      [
        left('rule'),
        left('side'),
        right('published'),
        right('suggested'),
        right('leads'),
        right('won'),
        right('odds ×'),
        left(''),
      ],
      rules.map((rule) => [
        rule.rule,
        rule.side,
        String(rule.published),
        rule.suggested === rule.published
          ? String(rule.suggested)
          : `${rule.suggested} (${signed(rule.suggested - rule.published)})`,
        String(rule.leads),
        formatRate(rule.wonShare),
        rule.oddsRatio === null ? '–' : rule.oddsRatio.toFixed(2),
        STATUS[rule.status],
      ]),
    ),
  ].join('\n');
}
