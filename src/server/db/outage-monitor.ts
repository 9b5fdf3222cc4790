import { sql } from 'kysely';
import { isDatabaseUnavailable } from './database-unavailable.ts';
import type { Db } from './open-database.ts';

export interface OutageMonitor {
  /**
   * Says whether `error` means the database is unreachable. The first such error of an
   * outage is logged, later ones are not, and a probe logs once when the database is back.
   */
  report(error: unknown): boolean;
  /** True between the first unreachable error and the probe that finds the database again. */
  isDown(): boolean;
  stop(): void;
}

export interface OutageLog {
  warn(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
}

/**
 * One log line when the database goes away and one when it is back, however many requests
 * and background passes fail in between (they answer 503 or retry on their next poll).
 */
export function createOutageMonitor(options: {
  db: Db;
  log: OutageLog;
  clock?: () => number;
  probeIntervalMs?: number;
}): OutageMonitor {
  const clock = options.clock ?? Date.now;
  const probeIntervalMs = options.probeIntervalMs ?? 500;
  let downSince: number | null = null;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function probe(): Promise<void> {
    timer = null;
    if (stopped || downSince === null) return;
    try {
      await sql`select 1`.execute(options.db);
      const seconds = Math.round((clock() - downSince) / 100) / 10;
      options.log.info({ seconds, failures }, `the database is reachable again after ${seconds} s`);
      downSince = null;
      failures = 0;
    } catch {
      schedule();
    }
  }

  function schedule(): void {
    if (stopped || timer !== null) return;
    timer = setTimeout(() => void probe(), probeIntervalMs);
    timer.unref();
  }

  return {
    report(error) {
      if (!isDatabaseUnavailable(error)) return false;
      failures++;
      if (downSince === null) {
        downSince = clock();
        const code = error instanceof Error && 'code' in error ? error.code : undefined;
        options.log.warn(
          { code, reason: error instanceof Error ? error.message : String(error) },
          'the database is unreachable; answering 503 with Retry-After and retrying until it is back',
        );
      }
      schedule();
      return true;
    },
    isDown: () => downSince !== null,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
