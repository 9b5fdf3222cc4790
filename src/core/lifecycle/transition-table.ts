import type { TransitionKind } from './apply-transition.ts';
import type { Stage } from './stages.ts';

/**
 * The stages each kind of request may start from; any other starting stage is refused.
 * Customers are final, and a disqualified contact only moves once reopened.
 */
export const TRANSITION_SOURCES: Readonly<Record<TransitionKind, readonly Stage[]>> = {
  'qualify-mql': ['lead', 'recycled'],
  'hand-raise': ['lead', 'recycled'],
  accept: ['mql'],
  'qualify-sql': ['mql', 'sal'],
  'create-opportunity': ['sql'],
  'record-outcome': ['opportunity'],
  'import-outcome': ['lead', 'mql', 'sal', 'sql', 'opportunity', 'recycled', 'disqualified'],
  recycle: ['mql', 'sal', 'sql'],
  disqualify: ['lead', 'mql', 'sal', 'sql', 'opportunity', 'recycled'],
  reopen: ['disqualified', 'recycled'],
};

export function isTransitionKind(value: string): value is TransitionKind {
  return Object.hasOwn(TRANSITION_SOURCES, value);
}
