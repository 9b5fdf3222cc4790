import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { freshDataDir, ripen } from './run-ripen.ts';

describe('ripen export contact and ripen erase', () => {
  it("exports one person's data as JSON, erases them only with --yes, and they stay erased", () => {
    const dataDir = freshDataDir('privacy');
    expect(ripen(dataDir, 'demo', '--contacts', '10', '--seed', '4', '--crm-deals', '0').status).toBe(0);
    const rows = parse(ripen(dataDir, 'export', 'contacts').stdout, { columns: true }) as Array<Record<string, string>>;
    const email = rows[0]?.email ?? '';
    expect(email).toContain('@');

    const exported = ripen(dataDir, 'export', 'contact', email);
    expect(exported.status).toBe(0);
    const data = JSON.parse(exported.stdout);
    expect(data.contact.email).toBe(email);
    expect(data.events.length).toBeGreaterThan(0);
    const missing = ripen(dataDir, 'export', 'contact');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('needs the email');

    const unconfirmed = ripen(dataDir, 'erase', email);
    expect(unconfirmed.status).not.toBe(0);
    expect(unconfirmed.stderr).toContain('--yes');

    const erased = ripen(dataDir, 'erase', email, '--yes', '--reason', 'test request');
    expect(erased.status).toBe(0);
    expect(erased.stdout).toMatch(/erased contact .* \(events \d+.*contacts 1\)/);
    const gone = ripen(dataDir, 'export', 'contact', email);
    expect(gone.status).not.toBe(0);
    expect(gone.stderr).toContain(`no contact with email ${email}`);
    // One erased: the unconfirmed run erased nothing.
    const left = parse(ripen(dataDir, 'export', 'contacts').stdout, { columns: true }) as unknown[];
    expect(left).toHaveLength(9);
  });
});
