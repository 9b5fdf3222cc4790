import { createWriteStream } from 'node:fs';
import { STAGES } from '../../core/lifecycle/stages.ts';
import { GRADES, TEMPERATURES } from '../../core/scoring/grades.ts';
import type { Config } from '../../server/config.ts';
import { exportContacts } from '../../server/contacts/export-contacts.ts';
import { openFirstWorkspace } from '../first-workspace.ts';
import { openConfiguredDatabase } from '../open-from-config.ts';

export interface ExportOptions {
  stage?: string;
  grade?: string;
  temperature?: string;
  owner?: string;
  minScore?: number;
  out?: string;
}

function checkOneOf(name: string, value: string | undefined, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value))
    throw new Error(`--${name} must be one of ${allowed.join(', ')}, got \`${value}\``);
}

/** `ripen export contacts [filters] > contacts.csv`: scores, grade, temperature, stage, fields and properties. */
export async function runExport(config: Config, kind: string, options: ExportOptions): Promise<void> {
  if (kind !== 'contacts') throw new Error(`export kind must be contacts, got \`${kind}\``);
  checkOneOf('stage', options.stage, STAGES);
  checkOneOf('grade', options.grade, GRADES);
  checkOneOf('temperature', options.temperature, TEMPERATURES);
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await openFirstWorkspace(database.db, config);
    const out = options.out ? createWriteStream(options.out) : process.stdout;
    const written = await exportContacts(
      database.db,
      workspaceId,
      {
        stage: options.stage,
        grade: options.grade,
        temperature: options.temperature,
        owner: options.owner,
        minScore: options.minScore,
      },
      out,
    );
    if (options.out) await new Promise((resolve) => (out as ReturnType<typeof createWriteStream>).end(resolve));
    process.stderr.write(`exported ${written} contacts${options.out ? ` to ${options.out}` : ''}\n`);
  } finally {
    await database.close();
  }
}
