import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCsv } from '../../../src/server/imports/import-csv.ts';
import { handoffDriver } from '../handoff/handoff-helpers.ts';
import { useTestApp } from '../helpers/test-app.ts';

const dir = mkdtempSync(join(tmpdir(), 'ripen-outcomes-'));
const t = useTestApp();

describe('CSV import of CRM outcomes', () => {
  it('records won and lost deals at any stage, stores them, reports bad rows by line, and changes nothing on a re-run', async () => {
    const h = handoffDriver(t);
    const admin = await h.key('admin');
    const bant = { budget: 'yes', authority: 'yes', need: 'yes', timeline: 'Q3' };
    const ids: Record<string, string> = {};
    for (const name of ['won', 'lost', 'early']) {
      ids[name] = await h.handRaiser(`crm-${name}`, { email: `${name}@buyer.io` });
      if (name !== 'early') expect((await h.act(admin, ids[name] ?? '', 'qualify', bant)).statusCode).toBe(200);
    }
    const file = join(dir, 'deals.csv');
    writeFileSync(
      file,
      [
        'Contact Email,Stage,Lost Reason,Amount,Deal ID,Close Date',
        'won@buyer.io,Closed Won,,"12,000",D-1,2026-05-01',
        'lost@buyer.io,Closed Lost,price,5000,D-2,2026-05-02',
        'lost@buyer.io,Closed Lost,,5000,D-3,2026-05-02',
        'nobody@buyer.io,Closed Won,,1,D-4,2026-05-02',
        'early@buyer.io,Closed Won,,1,D-5,2026-05-02',
        'won@buyer.io,Maybe,,1,D-6,2026-05-02',
      ].join('\n'),
    );
    const mapping = ['email=Contact Email', 'outcome=Stage', 'reason=Lost Reason', 'dealId=Deal ID', 'date=Close Date'];
    const run = () =>
      importCsv({ db: t.db, playbooks: t.playbooks, clock: () => t.clock.now }, t.workspaceId, {
        kind: 'outcomes',
        file,
        mapping,
      });
    const first = await run();
    expect(first).toMatchObject({ rows: 6, imported: 4 });
    expect(first.badRows.map((row) => row.line)).toEqual([5, 7]);
    expect(first.badRows[0]?.message).toContain('no contact with this email');
    expect(first.badRows[1]?.message).toContain('`outcome` must be');
    expect(await h.contact(ids.won ?? '')).toMatchObject({ stage: 'customer' });
    expect(await h.contact(ids.lost ?? '')).toMatchObject({ stage: 'recycled' });
    // An MQL that never reached an opportunity in Ripen: the CRM's won deal is a fact all the same.
    expect(await h.contact(ids.early ?? '')).toMatchObject({ stage: 'customer' });
    const history = await t.db
      .selectFrom('stage_history')
      .select(['from_stage', 'to_stage', 'transition', 'actor'])
      .where('contact_id', '=', ids.early ?? '')
      .orderBy('id')
      .execute();
    expect(history.at(-1)).toEqual({
      from_stage: 'mql',
      to_stage: 'customer',
      transition: 'import-outcome',
      actor: 'key:crm-import',
    });
    const deals = await t.db
      .selectFrom('outcomes')
      .select(['kind', 'external_id', 'amount', 'at'])
      .orderBy('external_id')
      .orderBy('kind')
      .execute();
    expect(deals.map((deal) => [deal.external_id, deal.kind])).toEqual([
      ['D-1', 'won'],
      ['D-2', 'lost'],
      ['D-3', 'lost'],
      ['D-5', 'won'],
    ]);
    expect(deals[0]).toMatchObject({ amount: 12000 });
    expect(deals[0]?.at.toISOString()).toBe('2026-05-01T00:00:00.000Z');

    const again = await run();
    expect(again).toMatchObject({ imported: 0, unchanged: 4 });
  });
});
