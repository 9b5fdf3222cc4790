import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/open-database.ts';
import { verifyPassword } from '../../src/server/users/passwords.ts';
import { freshDataDir, ripen as run } from './run-ripen.ts';

const dataDir = freshDataDir('cli-users');
const ripen = (...args: string[]) => run(dataDir, ...args);

describe('ripen users create', () => {
  it('creates a user and prints a one-time password that only the stored hash knows', async () => {
    const created = ripen('users', 'create', '--email', 'Mona@Example.com', '--role', 'marketing');
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toContain('Created marketing mona@example.com.');
    const password = /One-time password: (\S+)/.exec(created.stdout)?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);

    const again = ripen('users', 'create', '--email', 'mona@example.com', '--role', 'rep');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('a user with the email mona@example.com exists already');
    const badRole = ripen('users', 'create', '--email', 'x@example.com', '--role', 'owner');
    expect(badRole.stderr).toContain('`role` must be one of admin, marketing, manager, rep, viewer');

    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const users = await database.db.selectFrom('users').select(['email', 'role', 'password_hash']).execute();
      expect(users).toHaveLength(1);
      expect(users[0]).toMatchObject({ email: 'mona@example.com', role: 'marketing' });
      expect(users[0]?.password_hash).not.toContain(password);
      expect(await verifyPassword(users[0]?.password_hash ?? '', password)).toBe(true);
      const audit = await database.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'target'])
        .where('action', '=', 'user.created')
        .execute();
      expect(audit).toEqual([{ actor: 'cli', action: 'user.created', target: 'mona@example.com' }]);
    } finally {
      await database.close();
    }
  });
});
