import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { freshDataDir, ripen, root } from '../cli/run-ripen.ts';

/**
 * `ripen train` on the public data sets in ../shared/datasets, against the reference
 * figures in their README (5-fold cross-validated L2 logistic regression). The data sets
 * are not part of the repository (licences): without them these tests skip and say why.
 * They need no database, so the PostgreSQL run of the suite skips them too.
 */
const folder = join(root, '../shared/datasets');
const present = existsSync(join(folder, 'bank-full.csv'));
if (!present) console.warn(`skipping the public data set tests: ${folder} is absent (see README: Public data sets)`);

interface Report {
  rows: number;
  crossValidation: { auc: number };
  outOfTime: { auc: number } | null;
  columns: { name: string }[];
  leaks: { column: string; reason: string }[];
}

function train(...args: string[]): Report {
  const run = ripen(null, 'train', ...args, '--json');
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

describe.skipIf(!present || process.env.TEST_DATABASE_URL)('training on public data sets', () => {
  it('bank marketing: AUC ≥ 0.76 without `duration`, which the leakage guard flags', () => {
    const report = train('--csv', join(folder, 'bank-full.csv'), '--target', 'subscription', '--rows-in-time-order');
    expect(report.rows).toBe(45_211);
    expect(report.leaks).toEqual([expect.objectContaining({ column: 'duration', reason: 'dominant' })]);
    expect(report.columns.map((column) => column.name)).not.toContain('duration');
    expect(report.crossValidation.auc).toBeGreaterThanOrEqual(0.76);
    expect(report.outOfTime).not.toBeNull();
  }, 180_000);

  it('Olist MQL → closed deal from origin, landing page and first contact: AUC ≥ 0.68; closed-deal columns flagged', () => {
    const deals: Record<string, string>[] = parse(readFileSync(join(folder, 'olist_closed_deals_dataset.csv')), {
      columns: true,
    });
    const won = new Map(deals.map((deal) => [deal.mql_id ?? '', deal]));
    const leads: Record<string, string>[] = parse(
      readFileSync(join(folder, 'olist_marketing_qualified_leads_dataset.csv')),
      { columns: true },
    );
    const joined = leads.map((lead) => {
      const deal = won.get(lead.mql_id ?? '');
      return {
        ...lead,
        business_segment: deal?.business_segment ?? '',
        lead_type: deal?.lead_type ?? '',
        won: deal ? 'yes' : 'no',
      };
    });
    const file = join(freshDataDir('olist'), '..', 'olist.csv');
    writeFileSync(file, stringify(joined, { header: true }));
    const report = train('--csv', file, '--target', 'won', '--id', 'mql_id', '--time', 'first_contact_date');
    expect(report.rows).toBe(8_000);
    expect(report.columns.map((column) => column.name)).toEqual(['first_contact_date', 'landing_page_id', 'origin']);
    expect(report.leaks.map((leak) => leak.column).sort()).toEqual(['business_segment', 'lead_type']);
    expect(report.crossValidation.auc).toBeGreaterThanOrEqual(0.68);
    expect(report.outOfTime).not.toBeNull();
  }, 120_000);
});
