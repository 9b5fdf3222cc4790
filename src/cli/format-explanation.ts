import type { ExplanationView } from '../server/contacts/explain-contact.ts';

const points = (value: number) => (value >= 0 ? `+${value.toFixed(2)}` : value.toFixed(2)).padStart(8);

/** Renders a score explanation for the terminal: totals first, then every line that makes them. */
export function formatExplanation(view: ExplanationView, stage: string, explain: boolean): string {
  const lines = [
    `${view.cell}  stage ${stage}  fit ${view.fit.points.toFixed(2)} (grade ${view.fit.grade})  engagement ${view.engagement.points.toFixed(2)} (${view.engagement.temperature})  score ${view.combined.points.toFixed(2)}  playbook v${view.playbookVersion}`,
  ];
  if (!explain) return `${lines.join('\n')}\n`;
  lines.push('', 'Fit:');
  for (const line of view.fit.lines) {
    const label =
      line.kind === 'rule'
        ? `${line.group} / ${line.label}`
        : line.kind === 'group-cap'
          ? `${line.group} capped at ${line.cap}`
          : `clamped to ${line.min}..${line.max}`;
    lines.push(`  ${points(line.points)}  ${label}`);
  }
  lines.push(`  ${'='.padStart(8)}  ${view.fit.points.toFixed(2)}`, '', 'Engagement:');
  for (const line of view.engagement.lines) {
    if (line.kind === 'rule') {
      const decay = line.halfLifeDays === null ? 'no decay' : `half-life ${line.halfLifeDays}d`;
      lines.push(
        `  ${points(line.points)}  ${line.group} / ${line.label}: ${line.counted} counted of ${line.matched} matched, ${line.rawPoints.toFixed(2)} before decay (${decay})`,
      );
    } else if (line.kind === 'group-cap') {
      lines.push(`  ${points(line.points)}  ${line.group} capped at ${line.cap}`);
    } else if (line.kind === 'total-cap') {
      lines.push(`  ${points(line.points)}  total capped at ${line.cap}`);
    } else {
      lines.push(`  ${points(line.points)}  floored at 0`);
    }
  }
  lines.push(
    `  ${'='.padStart(8)}  ${view.engagement.points.toFixed(2)}`,
    '',
    `Combined: fit × ${view.combined.fitWeight} + engagement × ${view.combined.engagementWeight} = ${view.combined.points.toFixed(2)}`,
  );
  return `${lines.join('\n')}\n`;
}
