import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/open-database.ts';
import { createKeyResolver } from '../../src/server/workspaces/api-keys.ts';
import { ripen as run } from './run-ripen.ts';

const dataDir = join(mkdtempSync(join(tmpdir(), 'ripen-cli-keys-')), 'data');

const ripen = (...args: string[]) => run(dataDir, ...args);

describe('ripen keys list and revoke', () => {
  it('lists keys without their secrets, and a revoked key stops resolving', async () => {
    const created = ripen(
      'keys',
      'create',
      'secret',
      '--role',
      'rep',
      '--user',
      'riley@example.com',
      '--name',
      'riley laptop',
    );
    expect(created.status, created.stderr).toBe(0);
    const key = created.stdout.split('\n')[0] ?? '';
    expect(key).toMatch(/^rk_secret_/);

    const list = ripen('keys', 'list');
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).not.toContain(key);
    const line = list.stdout.split('\n').find((row) => row.includes('riley laptop')) ?? '';
    expect(line).toMatch(/secret\s+rep\s+riley@example\.com/);
    expect(line).toContain('active');
    const prefix = key.slice(0, 'rk_secret_'.length + 4);
    expect(line).toContain(prefix);

    const revoked = ripen('keys', 'revoke', line.split(/\s+/)[0] ?? '');
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`revoked secret key ${prefix}`);
    expect(
      ripen('keys', 'list')
        .stdout.split('\n')
        .find((row) => row.includes('riley laptop')),
    ).toContain('revoked');
    const unknown = ripen('keys', 'revoke', 'rk_nope');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('see `ripen keys list`');

    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      expect(await createKeyResolver(database.db)(key)).toBeNull();
    } finally {
      await database.close();
    }
  });

  it('limits a write key to its websites, and refuses an origin it cannot read', () => {
    const created = ripen(
      'keys',
      'create',
      'write',
      '--name',
      'site',
      '--origin',
      'www.example.com',
      '--origin',
      'https://shop.example.com',
    );
    expect(created.status, created.stderr).toBe(0);
    const line =
      ripen('keys', 'list')
        .stdout.split('\n')
        .find((row) => row.includes(' site')) ?? '';
    expect(line).toContain('https://shop.example.com,https://www.example.com');
    const bad = ripen('keys', 'create', 'write', '--origin', 'https://example.com/landing');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('no path');
  });
});
