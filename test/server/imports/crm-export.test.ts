import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCsv } from '../../../src/server/imports/import-csv.ts';
import { useTestApp } from '../helpers/test-app.ts';

const BANK = new URL('../../../../shared/datasets/bank-full.csv', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ripen-crm-'));
const t = useTestApp();

/** Imports and waits until what it queued has been scored. */
async function importFile(kind: 'contacts' | 'outcomes', file: string, mapping: string[], columns = {}) {
  const report = await importCsv({ db: t.db, playbooks: t.playbooks, clock: () => t.clock.now }, t.workspaceId, {
    kind,
    file,
    mapping,
    columns,
  });
  await t.scoring.drain();
  return report;
}

describe.skipIf(!existsSync(BANK))('a real CRM export with its outcome column (UCI bank marketing, 60 rows)', () => {
  // The public file has no identities: each row gets an email, as a CRM export would carry.
  // Its first 45 "no" rows and first 15 "yes" rows (the file is in date order, yes is rare early).
  const all = existsSync(BANK) ? readFileSync(BANK, 'utf8').trim().split(/\r?\n/) : [''];
  const lines = [
    all[0] ?? '',
    ...all.filter((line) => line.endsWith(',no')).slice(0, 45),
    ...all.filter((line) => line.endsWith(',yes')).slice(0, 15),
  ];
  const file = join(dir, 'bank.csv');
  writeFileSync(
    file,
    [`Email,${lines[0]}`, ...lines.slice(1).map((line, i) => `c${i}@bank.example,${line}`)].join('\n'),
  );
  const yes = lines.slice(1).filter((line) => line.endsWith(',yes')).length;

  it('imports the people without the outcome or the leaking call duration among their properties', async () => {
    const report = await importFile('contacts', file, [], { exclude: ['subscription', 'duration'] });
    expect(report).toMatchObject({ rows: 60, badRows: [] });
    const contacts = await t.db
      .selectFrom('contacts')
      .select('properties')
      .where('email', 'like', '%@bank.example')
      .execute();
    expect(contacts).toHaveLength(60);
    for (const { properties } of contacts) {
      expect(properties).toHaveProperty('job');
      expect(properties).not.toHaveProperty('subscription');
      expect(properties).not.toHaveProperty('duration');
    }
  });

  it('records every outcome, through a value map, for leads that never reached sales', async () => {
    const report = await importFile('outcomes', file, ['outcome=subscription'], {
      values: ['outcome=yes:won,no:lost'],
    });
    expect(report).toMatchObject({ rows: 60, imported: 60, badRows: [] });
    const stages = await t.db
      .selectFrom('contacts')
      .select(({ fn }) => ['stage', fn.countAll<number>().as('n')])
      .where('email', 'like', '%@bank.example')
      .groupBy('stage')
      .execute();
    expect(Object.fromEntries(stages.map((row) => [row.stage, Number(row.n)]))).toEqual({
      customer: yes,
      recycled: 60 - yes,
    });
    expect(yes).toBeGreaterThan(0);
    const again = await importFile('outcomes', file, ['outcome=subscription'], { values: ['outcome=yes:won,no:lost'] });
    expect(again).toMatchObject({ imported: 0, unchanged: 60 });
  });
});

describe('import column choices', () => {
  it('reports a column that looks like a field but was not mapped, and a corrected mapping updates the contacts', async () => {
    const file = join(dir, 'leads.csv');
    writeFileSync(file, 'Email,Title,Lead Origin\nann@leads.example,CMO,webinar\nbob@leads.example,Analyst,ads\n');
    const first = await importFile('contacts', file, []);
    expect(first.warnings).toEqual([
      'column `Title` looks like jobTitle: map it with --map jobTitle="Title", or --exclude "Title"; it was stored as a property',
    ]);
    const ann = () =>
      t.db
        .selectFrom('contacts')
        .select(['job_title', 'fit'])
        .where('email', '=', 'ann@leads.example')
        .executeTakeFirstOrThrow();
    expect((await ann()).job_title).toBeNull();
    const fitBefore = (await ann()).fit;

    const corrected = await importFile('contacts', file, ['jobTitle=Title']);
    expect(corrected).toMatchObject({ imported: 2, warnings: [] });
    expect((await ann()).job_title).toBe('CMO');
    expect((await ann()).fit).toBeGreaterThan(fitBefore);
    // The same file with the same mapping again changes nothing.
    expect(await importFile('contacts', file, ['jobTitle=Title'])).toMatchObject({ imported: 0, unchanged: 2 });
  });

  it('keeps only the columns --only names, besides the mapped ones', async () => {
    const file = join(dir, 'only.csv');
    writeFileSync(file, 'Email,Lead Origin,Internal Notes\ncara@only.example,webinar,call back\n');
    await importFile('contacts', file, [], { only: ['Lead Origin'] });
    const cara = await t.db
      .selectFrom('contacts')
      .select('properties')
      .where('email', '=', 'cara@only.example')
      .executeTakeFirstOrThrow();
    expect(cara.properties).toEqual({ 'Lead Origin': 'webinar' });
  });

  it.each([
    [{ exclude: ['Nope'] }, 'the file has no column `Nope`'],
    [{ exclude: ['Email'] }, 'column `Email` is mapped to a field'],
    [{ exclude: ['Title'], only: ['Title'] }, 'use --exclude or --only, not both'],
    [{ values: ['outcome=yes:won'] }, 'value map for `outcome`: the field is not mapped'],
    [{ values: ['email=x'] }, 'value map entry `x`'],
  ])('refuses %j, saying what to fix', async (columns, message) => {
    const file = join(dir, 'choices.csv');
    writeFileSync(file, 'Email,Title\ndan@choices.example,CMO\n');
    await expect(importFile('contacts', file, [], columns)).rejects.toThrow(message);
  });
});
