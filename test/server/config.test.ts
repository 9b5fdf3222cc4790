import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/server/config.ts';

describe('server settings', () => {
  it('prepares PostgreSQL statements unless RIPEN_PREPARED_STATEMENTS is off', () => {
    expect(readConfig({}).preparedStatements).toBe(true);
    expect(readConfig({ RIPEN_PREPARED_STATEMENTS: 'off' }).preparedStatements).toBe(false);
    expect(readConfig({ RIPEN_PREPARED_STATEMENTS: ' False ' }).preparedStatements).toBe(false);
    expect(readConfig({ RIPEN_PREPARED_STATEMENTS: 'on' }).preparedStatements).toBe(true);
  });

  it('says what a switch accepts when the value is neither on nor off', () => {
    expect(() => readConfig({ RIPEN_PREPARED_STATEMENTS: 'sometimes' })).toThrow(
      'RIPEN_PREPARED_STATEMENTS must be on or off, got `sometimes`',
    );
  });
});
