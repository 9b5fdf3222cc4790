import type { Config } from '../../server/config.ts';
import { IMPORT_FIELDS, IMPORT_KINDS, type ImportKind } from '../../server/imports/csv-mapping.ts';
import { importCsv } from '../../server/imports/import-csv.ts';
import { announceNewWorkspace, openFirstWorkspace } from '../first-workspace.ts';
import { cliIngestDeps, openConfiguredDatabase } from '../open-from-config.ts';
import { drainScoringWithProgress, progressBar } from '../progress.ts';

function isImportKind(kind: string): kind is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(kind);
}

/** For `ripen import --help`: the fields each kind maps, and how columns map to them. */
export function describeImportFields(): string {
  const lines = IMPORT_KINDS.map((kind) => `  ${kind.padEnd(10)} ${IMPORT_FIELDS[kind].join(', ')}`);
  return [
    '',
    'Fields each kind maps (a column named like a field, in any case, with _ or -, maps itself):',
    ...lines,
    '',
    'Unmapped columns become custom properties unless --exclude or --only says otherwise.',
    'Example:',
    '  ripen import outcomes deals.csv --map email=Email outcome=Converted --values outcome=1:won,0:lost',
  ].join('\n');
}

export async function runImport(
  config: Config,
  kind: string,
  file: string,
  options: { map?: string[]; values?: string[]; exclude?: string[]; only?: string[]; delimiter: string },
): Promise<void> {
  if (!isImportKind(kind)) throw new Error(`import kind must be one of ${IMPORT_KINDS.join(', ')}, got \`${kind}\``);
  const database = await openConfiguredDatabase(config);
  const bar = progressBar(`importing ${kind} [{bar}] {percentage}%`);
  try {
    const first = await openFirstWorkspace(database.db, config);
    announceNewWorkspace(first);
    const { workspaceId } = first;
    bar.start(100, 0);
    const deps = cliIngestDeps(database);
    const report = await importCsv(deps, workspaceId, {
      kind,
      file,
      mapping: options.map ?? [],
      columns: { exclude: options.exclude, only: options.only, values: options.values },
      delimiter: options.delimiter,
      onProgress: (read, total) => bar.update(total === 0 ? 100 : Math.round((read / total) * 100)),
    });
    bar.stop();
    await drainScoringWithProgress(database.db, deps.scoring);
    for (const warning of report.warnings) process.stderr.write(`${file}: ${warning}\n`);
    for (const bad of report.badRows) process.stderr.write(`${file}:${bad.line}: ${bad.message}\n`);
    process.stdout.write(
      `${report.rows} rows: ${report.imported} imported, ${report.unchanged} already there, ${report.badRows.length} bad\n`,
    );
    if (report.badRows.length > 0) process.exitCode = 1;
  } finally {
    bar.stop();
    await database.close();
  }
}
