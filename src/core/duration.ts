import { err, ok, type Result } from './result.ts';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Parses a duration like `30m`, `12h`, `14d` or `2w` into milliseconds. */
export function parseDuration(text: string): Result<number, string> {
  const match = /^([0-9]+(?:\.[0-9]+)?)(m|h|d|w)$/.exec(text.trim());
  if (!match) return err(`a duration like 30m, 12h, 14d or 2w, got \`${text}\``);
  const unit = match[2] as keyof typeof UNIT_MS;
  return ok(Math.round(Number(match[1]) * UNIT_MS[unit]));
}

/** For durations already validated by the playbook schema. */
export function durationMs(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}
