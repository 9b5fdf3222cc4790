import { applyTextChange, setYamlValue } from '../playbook/set-yaml-value.ts';
import type { RuleColumn } from './rule-features.ts';
import type { PointsSuggestion } from './suggest-points.ts';

/**
 * The published playbook's YAML with the suggested points written in, every other character as
 * it was (comments, anchors, layout), its name marked as a suggestion and a comment on top
 * saying where the points came from: a draft to backtest, edit and publish like any other.
 */
export function writeSuggestedDraft(
  published: { source: string; name: string },
  columns: readonly RuleColumn[],
  suggestion: PointsSuggestion,
  on: Date,
): string {
  let draft = published.source;
  suggestion.rules.forEach((rule, index) => {
    if (rule.suggested === rule.published) return;
    const change = setYamlValue(draft, columns[index]!.path, rule.suggested);
    if (change) draft = applyTextChange(draft, change);
  });
  const name = published.name.endsWith(' (suggested)') ? published.name : `${published.name} (suggested)`;
  const renamed = setYamlValue(draft, ['name'], name);
  if (renamed) draft = applyTextChange(draft, renamed);
  const changed = suggestion.rules.filter((rule) => rule.suggested !== rule.published).length;
  const header =
    `# Suggested by Ripen on ${on.toISOString().slice(0, 10)} from ${suggestion.outcomes} outcomes ` +
    `(${suggestion.won} won): the points of ${changed} rules learned from them; everything else as published.\n` +
    '# Backtest it against the published playbook before publishing (docs/backtest.md).\n';
  return header + draft;
}
