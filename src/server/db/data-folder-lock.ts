import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Held while a process has the embedded database open; `release` gives it up. */
export interface DataFolderLock {
  release(): void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One process, and one database handle in it, may open an embedded data folder at a time:
 * PGlite does not notice a second opener, and two of them writing the same files corrupt it
 * (a CLI import while the server runs, say). The lock is a `ripen.pid` file created
 * exclusively; a file left by a process that no longer runs (killed) is taken over.
 */
export function lockDataFolder(dataDir: string): DataFolderLock {
  const path = join(dataDir, 'ripen.pid');
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
        const who = holder === process.pid ? 'this process already' : `another Ripen process (pid ${holder})`;
        throw new Error(
          `the embedded database in ${dataDir} is open in ${who}: stop the server before running commands on the same data folder, or set DATABASE_URL to share PostgreSQL. If no Ripen process runs, delete ${path}.`,
        );
      }
      unlinkSync(path); // left by a process that stopped without closing
      continue;
    }
    writeSync(fd, String(process.pid));
    closeSync(fd);
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        try {
          unlinkSync(path);
        } catch {
          // already gone (the folder was deleted): nothing to release
        }
      },
    };
  }
  throw new Error(`could not lock the embedded database in ${dataDir}: ${path} keeps reappearing`);
}
