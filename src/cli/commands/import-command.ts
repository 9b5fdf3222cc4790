import type { Config } from '../../server/config.ts';
import { IMPORT_KINDS, type ImportKind } from '../../server/imports/csv-mapping.ts';
import { importCsv } from '../../server/imports/import-csv.ts';
import { announceNewWorkspace, openFirstWorkspace } from '../first-workspace.ts';
import { cliIngestDeps, openConfiguredDatabase } from '../open-from-config.ts';
import { drainScoringWithProgress, progressBar } from '../progress.ts';

function isImportKind(kind: string): kind is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(kind);
}

export async function runImport(
  config: Config,
  kind: string,
  file: string,
  options: { map?: string[]; delimiter: string },
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
      delimiter: options.delimiter,
      onProgress: (read, total) => bar.update(total === 0 ? 100 : Math.round((read / total) * 100)),
    });
    bar.stop();
    await drainScoringWithProgress(database.db, deps.scoring);
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
