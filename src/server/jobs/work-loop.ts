/** A background loop over a database queue: kicked after writes, polling for the rest. */
export interface WorkLoop {
  /** Asks for a drain soon; calls while one is going on coalesce into one more pass. */
  kick(): void;
  /** Runs passes until one finds nothing to do (rejects if a pass failed). */
  drain(): Promise<void>;
  /** Polls every `intervalMs` (default 1 s) for work from other processes, retries and crashes. */
  start(intervalMs?: number): void;
  /** Stops polling and waits for the pass in hand; kicks and drains do nothing until `start()`. */
  stop(): Promise<void>;
}

/**
 * The loop shared by the scoring, webhook and job workers. `pass` claims and does one batch
 * and says whether it found any work. The queue lives in the database, so every process may
 * run a loop; in one process, passes never overlap.
 */
export function createWorkLoop(options: {
  pass: () => Promise<boolean>;
  onError?: (error: unknown) => void;
  /** Called by `stop()` before waiting, e.g. to abort requests in flight. */
  onStop?: () => void;
}): WorkLoop {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  async function run(): Promise<void> {
    try {
      do {
        again = false;
        while (!stopped && (await options.pass())) {
          // keep passing until nothing is left
        }
      } while (again && !stopped);
    } finally {
      // Cleared in the same tick as the last `again` check, so no kick can fall in between.
      running = null;
    }
  }

  function drain(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = run();
    return running;
  }

  function kick(): void {
    if (stopped) return;
    drain().catch((error: unknown) => options.onError?.(error));
  }

  return {
    kick,
    drain,
    start(intervalMs = 1000) {
      stopped = false;
      if (timer) return;
      timer = setInterval(kick, intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      options.onStop?.();
      await running?.catch(() => undefined);
    },
  };
}
