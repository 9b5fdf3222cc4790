import type { EngagementEvent } from '../../core/scoring/engagement-state.ts';

/**
 * Events this process just stored, kept in memory for the scoring worker so it need not read
 * them back from the events table. Only a shortcut: the score queue in the database is what
 * says which events to fold, and anything not found here (another process, a restart, an
 * evicted entry) is read from the table. Events are immutable, so a cached one is exact.
 */
export interface FreshEvents {
  put(events: Iterable<EngagementEvent>): void;
  /** Removes and returns the cached events among `ids`, with the ids that were not cached. */
  take(ids: readonly string[]): { found: EngagementEvent[]; missing: string[] };
}

export function createFreshEvents(maxEntries = 20_000): FreshEvents {
  const events = new Map<string, EngagementEvent>();
  return {
    put(batch) {
      for (const event of batch) events.set(event.id, event);
      // Maps iterate in insertion order: drop the oldest beyond the bound.
      for (const id of events.keys()) {
        if (events.size <= maxEntries) break;
        events.delete(id);
      }
    },
    take(ids) {
      const found: EngagementEvent[] = [];
      const missing: string[] = [];
      for (const id of ids) {
        const event = events.get(id);
        if (event === undefined) missing.push(id);
        else {
          found.push(event);
          events.delete(id);
        }
      }
      return { found, missing };
    },
  };
}
