/**
 * Tells open web pages that leads or hand-offs changed, so they fetch again instead of
 * polling. A signal carries no data (pages refetch through the API, which applies the
 * reader's permissions) and bursts coalesce into one signal per `quietMs`.
 * One process: a deployment with several servers still refreshes through the pages'
 * slow fallback poll.
 */
export interface ChangeFeed {
  publish(): void;
  subscribe(listener: () => void): () => void;
  /** Listeners open now (for tests and shutdown). */
  size(): number;
}

export function createChangeFeed(quietMs = 300): ChangeFeed {
  const listeners = new Set<() => void>();
  let timer: NodeJS.Timeout | null = null;
  const fire = () => {
    timer = null;
    for (const listener of listeners) listener();
  };
  return {
    publish() {
      if (timer === null && listeners.size > 0) timer = setTimeout(fire, quietMs);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    size: () => listeners.size,
  };
}
