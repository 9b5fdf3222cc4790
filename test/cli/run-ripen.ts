import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject, vi } from 'vitest';
import type { DatabaseTarget } from '../../src/server/db/open-database.ts';
import { createThrowawayDatabase } from '../../src/server/db/throwaway-database.ts';

export const root = new URL('../../', import.meta.url).pathname;

/** The CLI bundled for this run (test/global-setup.ts): run as `npm start` runs it, no TypeScript loader. */
const CLI = inject('cliBundle');

// Each `ripen …` is a process that opens the database: 2–6 s on a loaded 2-core machine,
// so a test of ten commands can pass a minute without anything being wrong.
vi.setConfig({ testTimeout: 180_000 });

/** A fresh data folder for the embedded database, in its own temporary directory. */
export function freshDataDir(prefix: string): string {
  return join(mkdtempSync(join(tmpdir(), `ripen-${prefix}-`)), 'data');
}

/** Runs `ripen …` on the embedded database in `dataDir` (none: no database). */
export function ripen(dataDir: string | null, ...args: string[]) {
  return ripenOn(dataDir === null ? null : { kind: 'pglite', dataDir }, ...args);
}

/** Runs `ripen …` on a database: an embedded one's folder, or a server's URL (null: none). */
export function ripenOn(target: DatabaseTarget | null, ...args: string[]) {
  const env =
    target === null
      ? process.env
      : target.kind === 'postgres'
        ? { ...process.env, DATABASE_URL: target.url }
        : { ...process.env, RIPEN_DATA_DIR: target.dataDir ?? '', DATABASE_URL: '' };
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The database a CLI test seeds and runs commands on: the embedded one in a fresh folder, or
 * with TEST_DATABASE_URL (as CI's second pass sets it) a throwaway database on that server;
 * `drop` removes it.
 */
export async function commandDatabase(prefix: string): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return { target: { kind: 'pglite', dataDir: freshDataDir(prefix) }, drop: async () => {} };
  const throwaway = await createThrowawayDatabase(serverUrl, 'ripen_test');
  return { target: { kind: 'postgres', url: throwaway.url }, drop: () => throwaway.drop() };
}

/**
 * Starts `ripen serve …` on a free port and resolves once its banner has printed the API
 * reference line and the sample calls, with what it wrote so far and a way to stop it.
 */
export async function startServe(dataDir: string, ...args: string[]) {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    cwd: root,
    env: { ...process.env, RIPEN_DATA_DIR: dataDir, DATABASE_URL: '', PORT: '0', LOG_LEVEL: 'info' },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stdout}\n${stderr}`)), 120_000);
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
      if (stdout.includes('/api/contacts?limit=5')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
