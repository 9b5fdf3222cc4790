import type { Stage } from './stages.ts';

/**
 * The webhook announcing that a lead entered a stage. An MQL is announced by its hand-off
 * (`lead.mql`, with the routing decision) and an outcome by the outcome itself, so neither
 * appears here.
 */
const STAGE_WEBHOOK = {
  sal: 'lead.accepted',
  sql: 'lead.sql',
  recycled: 'lead.recycled',
  disqualified: 'lead.disqualified',
  lead: 'lead.reopened',
} as const satisfies Partial<Record<Stage, `lead.${string}`>>;

export type StageWebhook = (typeof STAGE_WEBHOOK)[keyof typeof STAGE_WEBHOOK];

/** Stages in which the first-touch clock no longer runs: sales has answered, or the lead left sales. */
const CLOSES_HANDOFF: ReadonlySet<Stage> = new Set([
  'sql',
  'opportunity',
  'customer',
  'recycled',
  'disqualified',
  'lead',
]);

/** The webhook that announces entering `stage`, if one does. */
export function stageWebhook(stage: Stage): StageWebhook | null {
  return Object.hasOwn(STAGE_WEBHOOK, stage) ? STAGE_WEBHOOK[stage as keyof typeof STAGE_WEBHOOK] : null;
}

/** Whether entering `stage` closes the lead's open hand-off. */
export function closesHandoff(stage: Stage): boolean {
  return CLOSES_HANDOFF.has(stage);
}
