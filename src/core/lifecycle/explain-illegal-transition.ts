import type { TransitionKind } from './apply-transition.ts';
import type { Stage } from './stages.ts';
import { TRANSITION_SOURCES } from './transition-table.ts';

const FUNNEL: readonly Stage[] = ['lead', 'mql', 'sal', 'sql', 'opportunity', 'customer'];

/** "cannot move a contact from `lead` to `customer`: <what to do instead>". */
export function explainIllegalTransition(kind: TransitionKind, from: Stage, to: Stage): string {
  return `cannot move a contact from \`${from}\` to \`${to}\`: ${suggestInstead(kind, from, to)}`;
}

function suggestInstead(kind: TransitionKind, from: Stage, to: Stage): string {
  const sources = TRANSITION_SOURCES[kind];
  if (from === 'disqualified' && kind !== 'disqualify') return 'reopen it first';
  if (from === 'customer') return '`customer` is the final stage';
  if (kind === 'record-outcome') {
    if (to === 'customer') return 'record an opportunity and a won outcome first';
    const instead = TRANSITION_SOURCES.recycle.includes(from) ? '; recycle it instead' : '';
    return `only an \`opportunity\` can be lost${instead}`;
  }
  if (from === to) return `it is already in \`${to}\``;
  if (kind === 'reopen') return `only a contact in ${listStages(sources)} can be reopened`;
  if (kind === 'recycle') {
    if (from === 'opportunity') return 'record a lost outcome instead';
    return `only a contact in ${listStages(sources)} can be recycled`;
  }
  if (from === 'recycled') return 'it must re-qualify as an MQL first';
  const fromIndex = FUNNEL.indexOf(from);
  const toIndex = FUNNEL.indexOf(to);
  if (fromIndex >= 0 && toIndex >= 0 && toIndex < fromIndex) {
    if (from === 'opportunity') return 'an open opportunity goes back to nurture only by recording a lost outcome';
    return 'moving back is only possible by recycling it, with a reason and a nurture-until date';
  }
  return `it must be in ${listStages(sources)} first`;
}

function listStages(stages: readonly Stage[]): string {
  const quoted = stages.map((stage) => `\`${stage}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}
