import { SingleBar } from 'cli-progress';
import { sql } from 'kysely';
import type { Db } from '../server/db/open-database.ts';
import type { ScoringWorker } from '../server/scoring/scoring-worker.ts';

/**
 * A progress bar on stderr. In a terminal it redraws in place; otherwise (a log file, CI) it
 * writes a line every 10 s, so a long run is never silent and stdout stays clean for output.
 */
export function progressBar(format: string): SingleBar {
  return new SingleBar({
    format,
    hideCursor: true,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  });
}

/**
 * Waits until the scoring queue is empty, with a bar of contacts scored: after a large load
 * (a 100,000-contact demo, an import) scoring continues for minutes after the last insert.
 */
export async function drainScoringWithProgress(db: Db, scoring: ScoringWorker): Promise<void> {
  const pending = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from score_queue`.execute(db)).rows[0]?.n ?? 0);
  const total = await pending();
  if (total === 0) return scoring.drain();
  const bar = progressBar('scoring [{bar}] {value}/{total} contacts');
  bar.start(total, 0);
  let polling = true;
  const poll = (async () => {
    while (polling) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (polling) bar.update(Math.max(0, total - (await pending())));
    }
  })();
  try {
    await scoring.drain();
  } finally {
    polling = false;
    await poll;
    bar.update(total);
    bar.stop();
  }
}
