import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';

export const root = new URL('../../', import.meta.url).pathname;

// Each `ripen …` starts a TypeScript process and opens the database: 3–8 s on a loaded
// 2-core machine, so a test of ten commands can pass a minute without anything being wrong.
vi.setConfig({ testTimeout: 180_000 });

/** A fresh data folder for the embedded database, in its own temporary directory. */
export function freshDataDir(prefix: string): string {
  return join(mkdtempSync(join(tmpdir(), `ripen-${prefix}-`)), 'data');
}

/** Runs `ripen …` from the sources on the embedded database in `dataDir` (none: no database). */
export function ripen(dataDir: string | null, ...args: string[]) {
  const env = dataDir === null ? process.env : { ...process.env, RIPEN_DATA_DIR: dataDir, DATABASE_URL: '' };
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Starts `ripen serve …` on a free port and resolves once its banner has printed the API
 * reference line and the sample calls, with what it wrote so far and a way to stop it.
 */
export async function startServe(dataDir: string, ...args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve', ...args], {
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
