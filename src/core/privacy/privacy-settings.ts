import { err, ok, type Result } from '../result.ts';

/**
 * A workspace's privacy settings (docs/privacy.md), stored in `workspaces.privacy`.
 * - `keepFullIp`: store IP addresses as sent; by default they are truncated before storage.
 * - `retentionDays`: how long events are kept, per event: a track event's name (`Email
 *   Opened`), a message type (`page`, `track`, `identify`, `group`) or `*` for every other
 *   event. The most specific entry applies; events no entry covers are kept.
 */
export interface PrivacySettings {
  keepFullIp: boolean;
  retentionDays: Record<string, number>;
}

export const DEFAULT_PRIVACY: PrivacySettings = { keepFullIp: false, retentionDays: {} };

export const MESSAGE_TYPES = ['page', 'track', 'identify', 'group'] as const;
const MAX_DAYS = 36_500;

/** Reads stored settings, filling what is absent with the defaults (what was stored was checked). */
export function readPrivacySettings(stored: unknown): PrivacySettings {
  const value = stored !== null && typeof stored === 'object' ? (stored as Partial<PrivacySettings>) : {};
  return {
    keepFullIp: value.keepFullIp === true,
    retentionDays: value.retentionDays && typeof value.retentionDays === 'object' ? { ...value.retentionDays } : {},
  };
}

/** Checks new settings: whole days from 1 to 36,500 (100 years), names that are not blank. */
export function checkPrivacySettings(input: PrivacySettings): Result<PrivacySettings, string> {
  const retentionDays: Record<string, number> = {};
  for (const [key, days] of Object.entries(input.retentionDays)) {
    const name = key.trim();
    if (name === '') return err('a retention entry needs an event name, a message type or `*`');
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS)
      return err(`retention for \`${name}\` must be a whole number of days from 1 to ${MAX_DAYS}, got ${days}`);
    retentionDays[name] = days;
  }
  return ok({ keepFullIp: input.keepFullIp, retentionDays });
}

/** One deletion the retention job makes: events matching `match`, older than `days`. */
export interface RetentionRule {
  days: number;
  match: { kind: 'name'; name: string } | { kind: 'type'; type: string } | { kind: 'rest' };
  /** Names and types that have their own entry, left to it (the most specific entry wins). */
  exceptNames: string[];
  exceptTypes: string[];
}

/** The settings' retention entries as the deletions to run, most specific first. */
export function retentionRules(settings: PrivacySettings): RetentionRule[] {
  const entries = Object.entries(settings.retentionDays);
  const types = new Set<string>(MESSAGE_TYPES);
  const names = entries.filter(([key]) => key !== '*' && !types.has(key)).map(([key]) => key);
  const typed = entries.filter(([key]) => types.has(key)).map(([key]) => key);
  const rules: RetentionRule[] = [];
  for (const [key, days] of entries) {
    if (key === '*') continue;
    if (types.has(key)) rules.push({ days, match: { kind: 'type', type: key }, exceptNames: names, exceptTypes: [] });
    else rules.push({ days, match: { kind: 'name', name: key }, exceptNames: [], exceptTypes: [] });
  }
  const rest = settings.retentionDays['*'];
  if (rest !== undefined) rules.push({ days: rest, match: { kind: 'rest' }, exceptNames: names, exceptTypes: typed });
  return rules;
}
