import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataFolder } from '../../../src/server/db/data-folder-lock.ts';
import { openDatabase } from '../../../src/server/db/open-database.ts';

const folders: string[] = [];
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ripen-lock-'));
  folders.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A pid that ran and has exited, so no process holds it now (barring reuse within the test). */
function exitedPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('the embedded data folder lock', () => {
  it('refuses a second opener of the same folder, saying what to do, and frees the folder on close', async () => {
    const dataDir = join(folder(), 'data');
    const first = await openDatabase({ kind: 'pglite', dataDir });
    await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toThrow(
      /is open in this process already: stop the server before running commands on the same data folder/,
    );
    await sql`create table kept (n int)`.execute(first.db);
    await first.close();
    expect(existsSync(join(dataDir, 'ripen.pid'))).toBe(false);

    const second = await openDatabase({ kind: 'pglite', dataDir });
    const tables = await sql<{ n: number }>`select count(*)::int as n from kept`.execute(second.db);
    expect(tables.rows).toEqual([{ n: 0 }]);
    await second.close();
  });

  it('names another live process that holds the folder', () => {
    const dir = folder();
    writeFileSync(join(dir, 'ripen.pid'), String(process.ppid));
    expect(() => lockDataFolder(dir)).toThrow(`another Ripen process (pid ${process.ppid})`);
    expect(readFileSync(join(dir, 'ripen.pid'), 'utf8')).toBe(String(process.ppid));
  });

  it('takes over a lock left by a process that was killed, and a lock file with no pid in it', () => {
    for (const leftover of [String(exitedPid()), '']) {
      const dir = folder();
      writeFileSync(join(dir, 'ripen.pid'), leftover);
      const lock = lockDataFolder(dir);
      expect(readFileSync(join(dir, 'ripen.pid'), 'utf8')).toBe(String(process.pid));
      lock.release();
      expect(existsSync(join(dir, 'ripen.pid'))).toBe(false);
    }
  });
});
