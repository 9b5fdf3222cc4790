import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCsv } from '../../../src/server/imports/import-csv.ts';
import { useTestApp } from '../helpers/test-app.ts';

const dir = mkdtempSync(join(tmpdir(), 'ripen-import-'));
const t = useTestApp();

function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function run(kind: 'contacts' | 'companies' | 'events', file: string, mapping: string[] = []) {
  const report = await importCsv({ db: t.db, playbooks: t.playbooks, clock: () => t.clock.now }, t.workspaceId, {
    kind,
    file,
    mapping,
    batchSize: 2,
  });
  await t.scoring.drain();
  return report;
}

describe('CSV import', () => {
  it('imports companies by domain, reports bad rows by line, and is idempotent', async () => {
    const file = csv(
      'companies.csv',
      'Website,Company Name,Industry,Employees\nacme.io,Acme,Software,800\nnot a domain,Bad,Retail,3\nhttps://www.globex.com/,Globex,Retail,120\n',
    );
    const first = await run('companies', file, ['domain=Website', 'name=Company Name']);
    expect(first).toMatchObject({ rows: 3, imported: 2 });
    expect(first.badRows).toEqual([{ line: 3, message: expect.stringContaining('`domain` must be a domain') }]);
    const again = await run('companies', file, ['domain=Website', 'name=Company Name']);
    expect(again).toMatchObject({ imported: 0, unchanged: 2 });
    const globex = await t.db
      .selectFrom('companies')
      .selectAll()
      .where('domain', '=', 'globex.com')
      .executeTakeFirstOrThrow();
    expect(globex).toMatchObject({ name: 'Globex', industry: 'Retail', employees: 120 });
  });

  it('imports contacts with a mapping, links companies, scores them, and changes nothing on a re-run', async () => {
    const file = csv(
      'contacts.csv',
      'E-mail,First,Title,Company Domain,Favourite colour\nann@acme.io,Ann,VP Marketing,acme.io,blue\nbob@,Bob,Engineer,,\ncid@globex.com,Cid,Manager,globex.com,\n',
    );
    const mapping = ['email=E-mail', 'firstName=First', 'jobTitle=Title'];
    const first = await run('contacts', file, mapping);
    expect(first.rows).toBe(3);
    expect(first.badRows).toEqual([{ line: 3, message: expect.stringContaining('traits.email') }]);
    const ann = await t.db
      .selectFrom('contacts')
      .selectAll()
      .where('email', '=', 'ann@acme.io')
      .executeTakeFirstOrThrow();
    expect(ann).toMatchObject({ first_name: 'Ann', job_title: 'VP Marketing', grade: 'A', playbook_version: 1 });
    expect(ann.properties).toMatchObject({ 'Favourite colour': 'blue' });
    const acme = await t.db
      .selectFrom('companies')
      .select('id')
      .where('domain', '=', 'acme.io')
      .executeTakeFirstOrThrow();
    expect(ann.company_id).toBe(acme.id);
    const again = await run('contacts', file, mapping);
    expect(again.imported).toBe(0);
    const count = await t.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
  });

  it('imports events for known emails and refuses an unknown mapping field clearly', async () => {
    const file = csv(
      'events.csv',
      'email,event,timestamp,plan\nann@acme.io,Demo Requested,2026-05-04T10:00:00Z,pro\nann@acme.io,,2026-05-04T10:00:00Z,\n',
    );
    const report = await run('events', file);
    expect(report.imported).toBe(1);
    expect(report.badRows.map((bad) => bad.line)).toEqual([3]);
    const ann = await t.db
      .selectFrom('contacts')
      .select(['id', 'stage'])
      .where('email', '=', 'ann@acme.io')
      .executeTakeFirstOrThrow();
    expect(ann.stage).toBe('mql');
    const events = await t.db
      .selectFrom('events')
      .select(['name', 'properties', 'source'])
      .where('contact_id', '=', ann.id)
      .where('type', '=', 'track')
      .execute();
    expect(events).toEqual([{ name: 'Demo Requested', properties: { plan: 'pro' }, source: 'import' }]);
    await expect(run('events', file, ['colour=plan'])).rejects.toThrow('unknown events field `colour`');
    await expect(run('events', file, ['event=Nope'])).rejects.toThrow('the file has no column `Nope`');
  });
});
