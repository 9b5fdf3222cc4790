import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/server/db/open-database.ts';

describe('openDatabase', () => {
  it('says what to do when PostgreSQL is unreachable, without echoing the password', async () => {
    const attempt = openDatabase({ kind: 'postgres', url: 'postgres://ripen:secretpw@127.0.0.1:1/ripen' });
    await expect(attempt).rejects.toThrow(
      /cannot use PostgreSQL at 127\.0\.0\.1:1\/ripen \(DATABASE_URL\).*unset DATABASE_URL to use the embedded database/,
    );
    await expect(attempt).rejects.not.toThrow(/secretpw/);
  });
});
