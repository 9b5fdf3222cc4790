import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import { sql } from 'kysely';
import { normalizeDomain, splitCompanyTraits } from '../../core/companies/company-fields.ts';
import { COMPANY_PROFILE_SQL } from '../companies/company-columns.ts';
import { jsonRows, withRetry } from '../db/bulk.ts';
import { type ReceiveDeps, receiveMessages } from '../events/receive-messages.ts';
import { startHandoffs } from '../handoff/start-handoffs.ts';
import { qualifiedBy, rescoreCompanyContacts } from '../scoring/score-contacts.ts';
import { type ColumnChoices, type ImportKind, type RowShape, resolveRowShape, shapeRow } from './csv-mapping.ts';
import { importOutcomes } from './import-outcomes.ts';
import { contactRowToMessages, eventRowToMessages } from './row-to-messages.ts';

export interface ImportReport {
  rows: number;
  imported: number;
  unchanged: number;
  badRows: Array<{ line: number; message: string }>;
  /** Columns that look like a field but were not mapped. */
  warnings: string[];
}

export interface ImportOptions {
  kind: ImportKind;
  file: string;
  mapping: readonly string[];
  columns?: ColumnChoices;
  delimiter?: string;
  batchSize?: number;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface PendingRow {
  line: number;
  row: Record<string, string>;
}

/**
 * Streams a CSV file into a workspace in batches. Contacts and events go through the
 * ingestion path (so they are scored like live events) with ids derived from each row's
 * content: importing the same file again changes nothing. Every bad row is reported with
 * its line number and the rest still imports.
 */
export async function importCsv(deps: ReceiveDeps, workspaceId: string, options: ImportOptions): Promise<ImportReport> {
  const totalBytes = statSync(options.file).size;
  const stream = createReadStream(options.file);
  const parser = stream.pipe(
    parse({
      columns: true,
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
      delimiter: options.delimiter ?? ',',
      relax_column_count: false,
    }),
  );
  const report: ImportReport = { rows: 0, imported: 0, unchanged: 0, badRows: [], warnings: [] };
  let shape: RowShape | null = null;
  let pending: PendingRow[] = [];
  const flush = async () => {
    if (pending.length === 0 || shape === null) return;
    await importBatch(deps, workspaceId, options.kind, shape.mapping, pending, report);
    pending = [];
    options.onProgress?.(stream.bytesRead, totalBytes);
  };
  try {
    for await (const record of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (shape === null) {
        const resolved = resolveRowShape(options.kind, Object.keys(record.record), options.mapping, options.columns);
        if (!resolved.ok) throw new Error(resolved.error);
        shape = resolved.value;
        report.warnings.push(...shape.warnings);
      }
      report.rows++;
      pending.push({ line: record.info.lines, row: shapeRow(record.record, shape) });
      if (pending.length >= (options.batchSize ?? 500)) await flush();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line =
      typeof error === 'object' && error !== null && 'lines' in error ? ` at line ${String(error.lines)}` : '';
    throw new Error(`cannot read ${options.file}${line}: ${message}`);
  }
  await flush();
  options.onProgress?.(totalBytes, totalBytes);
  return report;
}

async function importBatch(
  deps: ReceiveDeps,
  workspaceId: string,
  kind: ImportKind,
  mapping: Map<string, string>,
  rows: PendingRow[],
  report: ImportReport,
): Promise<void> {
  if (kind === 'companies') {
    const changed = await upsertCompanies(deps, workspaceId, mapping, rows, report);
    report.imported += changed;
    return;
  }
  if (kind === 'outcomes') {
    await importOutcomes(deps, workspaceId, mapping, rows, report);
    return;
  }
  const messages: object[] = [];
  const lineOf: number[] = [];
  for (const { line, row } of rows) {
    for (const message of kind === 'contacts' ? contactRowToMessages(row, mapping) : eventRowToMessages(row, mapping)) {
      messages.push(message);
      lineOf.push(line);
    }
  }
  const received = await receiveMessages(deps, workspaceId, messages, null, 'import');
  // Nothing of the file can be stored (no playbook yet): the import stops with the reason.
  if (!received.ok) throw new Error(received.error.message);
  const result = received.value;
  const badLines = new Set<number>();
  for (const error of result.errors) {
    const line = lineOf[error.index] ?? 0;
    if (!badLines.has(line)) report.badRows.push({ line, message: error.message });
    badLines.add(line);
  }
  report.imported += result.accepted;
  report.unchanged += result.duplicates;
}

async function upsertCompanies(
  deps: ReceiveDeps,
  workspaceId: string,
  mapping: Map<string, string>,
  rows: PendingRow[],
  report: ImportReport,
): Promise<number> {
  const byDomain = new Map<string, Record<string, unknown>>();
  for (const { line, row } of rows) {
    const traits: Record<string, unknown> = {};
    for (const [field, column] of mapping)
      if (row[column] !== undefined && row[column] !== '') traits[field] = row[column];
    const domain = normalizeDomain(traits.domain);
    if (domain === null) {
      report.badRows.push({
        line,
        message: `\`domain\` must be a domain like acme.com, got \`${String(traits.domain ?? '')}\``,
      });
      continue;
    }
    const { columns, properties } = splitCompanyTraits(traits);
    byDomain.set(domain, { ...columns, domain, owner: traits.owner ?? null, properties });
  }
  if (byDomain.size === 0) return 0;
  const playbook = await deps.playbooks.active(workspaceId);
  return withRetry(() =>
    deps.db.transaction().execute(async (trx) => {
      // Only rows that change something are written, so a re-run reports nothing imported.
      const changed = await sql<{ id: string }>`
        insert into companies as c (workspace_id, domain, ${COMPANY_PROFILE_SQL.columns}, owner, properties)
        select ${workspaceId}, v.domain, ${COMPANY_PROFILE_SQL.values}, v.owner, coalesce(v.properties, '{}')
        from jsonb_to_recordset(${jsonRows([...byDomain.values()])}) as v(domain text, ${COMPANY_PROFILE_SQL.types},
          owner text, properties jsonb)
        on conflict (workspace_id, domain) where domain is not null do update set
          ${COMPANY_PROFILE_SQL.upsertUpdates}, owner = coalesce(excluded.owner, c.owner),
          properties = c.properties || excluded.properties, updated_at = now()
        where (${COMPANY_PROFILE_SQL.stored}, c.owner, c.properties)
          is distinct from (${COMPANY_PROFILE_SQL.upserted}, coalesce(excluded.owner, c.owner),
            c.properties || excluded.properties)
        returning c.id`.execute(trx);
      report.unchanged += byDomain.size - changed.rows.length;
      const ids = changed.rows.map((row) => row.id);
      if (playbook && ids.length > 0) {
        const now = deps.clock();
        const outcome = await rescoreCompanyContacts(trx, workspaceId, playbook, now, ids);
        await startHandoffs(trx, workspaceId, playbook, now, qualifiedBy(outcome));
      }
      return ids.length;
    }),
  );
}
