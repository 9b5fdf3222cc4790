import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/open-database.ts';
import { signIn } from '../../src/server/users/sign-in.ts';
import { freshDataDir, ripen, startServe } from './run-ripen.ts';

const SECRET = /Secret key: (rk_secret_\S+)/;

function keysFile(dataDir: string) {
  const path = join(dirname(dataDir), 'credentials.json');
  const keys = JSON.parse(readFileSync(path, 'utf8')) as {
    secretKey: string;
    writeKey: string;
    admin: { email: string; password: string };
  };
  return { path, keys };
}

describe('the first command on a fresh data folder', () => {
  it('`migrate` creates the workspace, prints its keys once and keeps them in a 0600 file', () => {
    const dataDir = freshDataDir('first-migrate');
    const first = ripen(dataDir, 'migrate');
    expect(first.status).toBe(0);
    const printed = first.stdout.match(SECRET)?.[1];
    const { path, keys } = keysFile(dataDir);
    expect(printed).toBe(keys.secretKey);
    expect(first.stdout).toContain(`Write key:  ${keys.writeKey}`);
    // The first admin can sign in to the web app with the one-time password printed with the keys.
    expect(keys.admin.email).toBe('admin@ripen.local');
    expect(first.stdout).toContain(`Sign-in:    admin@ripen.local, one-time password ${keys.admin.password}`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = ripen(dataDir, 'migrate');
    expect(again.status).toBe(0);
    expect(again.stdout).not.toContain('Secret key');
    expect(keysFile(dataDir).keys).toEqual(keys);
  });

  it('`demo` does too, and reports its progress on stderr', () => {
    const dataDir = freshDataDir('first-demo');
    const demo = ripen(dataDir, 'demo', '--contacts', '40', '--seed', '3', '--crm-deals', '0');
    expect(demo.status).toBe(0);
    expect(demo.stdout.match(SECRET)?.[1]).toBe(keysFile(dataDir).keys.secretKey);
    expect(demo.stdout).toMatch(/loaded 40 contacts/);
    // Not a terminal: the bar writes plain lines, ending with the total.
    expect(demo.stderr).toContain('demo [');
    expect(demo.stderr).toContain('40/40 contacts');
  });

  it('`import` does too', () => {
    const dataDir = freshDataDir('first-import');
    const file = join(dirname(dataDir), 'contacts.csv');
    writeFileSync(file, 'email,jobTitle\nann@acme.io,CMO\n');
    const imported = ripen(dataDir, 'import', 'contacts', file);
    expect(imported.status).toBe(0);
    expect(imported.stdout.match(SECRET)?.[1]).toBe(keysFile(dataDir).keys.secretKey);
  });

  it('`serve --demo` after `migrate` still loads the demo into the empty workspace, with the banner in one block', async () => {
    const dataDir = freshDataDir('first-serve');
    expect(ripen(dataDir, 'migrate').status).toBe(0);
    const server = await startServe(dataDir, '--demo', '--demo-contacts', '25');
    try {
      const out = server.stdout();
      const { keys } = keysFile(dataDir);
      expect(out).toContain(`Secret key: ${keys.secretKey}`);
      // The banner, from its first line to its last, has no log line cut into it.
      const banner = out.slice(out.indexOf('Ripen is running at'), out.indexOf('/api/contacts?limit=5'));
      expect(banner.split('\n').filter((line) => line.startsWith('{'))).toEqual([]);
      const address = out.match(/Ripen is running at (\S+)/)?.[1];
      // The story's people (user ids `demo-42-u…`); the CRM deals the demo imports are `demo-42-crm-u…`.
      const listed = await fetch(`${address}/api/contacts?limit=100&q=demo-42-u`, {
        headers: { authorization: `Bearer ${keys.secretKey}` },
      });
      expect(((await listed.json()) as { items: unknown[] }).items).toHaveLength(25);
    } finally {
      await server.stop();
    }
  });
});

describe('the first admin', () => {
  it('signs in to the web app with the one-time password the first command printed', async () => {
    const dataDir = freshDataDir('first-admin');
    expect(ripen(dataDir, 'migrate').status).toBe(0);
    const { keys } = keysFile(dataDir);
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const signedIn = await signIn(database.db, { ...keys.admin, ip: '127.0.0.1' }, Date.now());
      expect(signedIn).toMatchObject({ ok: true, value: { user: { email: 'admin@ripen.local', role: 'admin' } } });
    } finally {
      await database.close();
    }
  });
});
