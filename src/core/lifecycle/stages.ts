/** Lifecycle stages of a contact, in funnel order, then the two side stages. */
export const STAGES = ['lead', 'mql', 'sal', 'sql', 'opportunity', 'customer', 'recycled', 'disqualified'] as const;
export type Stage = (typeof STAGES)[number];

export function isStage(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value);
}
