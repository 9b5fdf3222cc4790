import { addBusinessTime, type BusinessCalendar } from './business-calendar.ts';

/** How fast sales must respond to a qualified lead, and when to warn that the window is running out. */
export interface SlaPolicy {
  readonly responseTimeMs: number;
  /** Share of the window after which to warn, strictly between 0 and 1, e.g. 0.75. */
  readonly warnAtShare: number;
  /** When set, the window counts only business time; when null, wall-clock time. */
  readonly businessHours: BusinessCalendar | null;
}

export interface SlaDeadlines {
  readonly dueAt: number;
  readonly warnAt: number;
}

/**
 * The instants at which a lead qualified at `qualifiedAtMs` is overdue and due a warning.
 * The warning share is rounded down to the millisecond so it never fires late. Throws for a
 * policy the playbook schema should have rejected.
 */
export function computeSlaDeadlines(policy: SlaPolicy, qualifiedAtMs: number): SlaDeadlines {
  const { responseTimeMs, warnAtShare, businessHours } = policy;
  if (!(Number.isFinite(responseTimeMs) && responseTimeMs >= 0)) {
    throw new RangeError(`SLA response time must be a non-negative number of ms, got ${responseTimeMs}`);
  }
  if (!(warnAtShare > 0 && warnAtShare < 1)) {
    throw new RangeError(`SLA warning share must be strictly between 0 and 1, got ${warnAtShare}`);
  }
  if (!Number.isFinite(qualifiedAtMs)) throw new RangeError(`qualifiedAt must be finite ms, got ${qualifiedAtMs}`);
  const warnAfterMs = Math.floor(responseTimeMs * warnAtShare);
  if (businessHours === null) {
    return { dueAt: qualifiedAtMs + responseTimeMs, warnAt: qualifiedAtMs + warnAfterMs };
  }
  // Each counts from the qualifying instant: chaining the due time from a warning that landed on
  // a closing time would push a zero remainder to the next opening.
  return {
    dueAt: addBusinessTime(businessHours, qualifiedAtMs, responseTimeMs),
    warnAt: addBusinessTime(businessHours, qualifiedAtMs, warnAfterMs),
  };
}
