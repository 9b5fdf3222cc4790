/**
 * A clock the demo moves through its story, so ingestion, scoring, hand-offs and sales
 * actions stamp each step with the time it happened in the story. `travelTo(null)` goes
 * back to real time.
 */
export interface TimeTravel {
  clock: () => number;
  travelTo(time: number | null): void;
}

export function createTimeTravel(realClock: () => number = Date.now): TimeTravel {
  let story: number | null = null;
  return {
    clock: () => story ?? realClock(),
    travelTo(time) {
      story = time;
    },
  };
}
