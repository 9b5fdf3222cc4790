import { SingleBar } from 'cli-progress';
import type { Config } from '../../server/config.ts';
import { IMPORT_KINDS, type ImportKind } from '../../server/imports/csv-mapping.ts';
import { importCsv } from '../../server/imports/import-csv.ts';
import { bootstrapWorkspace } from '../../server/workspaces/bootstrap-workspace.ts';
import { cliIngestDeps, openConfiguredDatabase } from '../open-from-config.ts';

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
  const bar = new SingleBar({ format: `importing ${kind} [{bar}] {percentage}%`, hideCursor: true });
  try {
    const { workspaceId } = await bootstrapWorkspace(database.db);
    bar.start(100, 0);
    const deps = cliIngestDeps(database);
    const report = await importCsv(deps, workspaceId, {
      kind,
      file,
      mapping: options.map ?? [],
      delimiter: options.delimiter,
      onProgress: (read, total) => bar.update(total === 0 ? 100 : Math.round((read / total) * 100)),
    });
    await deps.scoring.drain();
    bar.stop();
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
