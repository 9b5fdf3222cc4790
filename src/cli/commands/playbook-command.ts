import { readFileSync, writeFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { parsePlaybook } from '../../core/playbook/parse-playbook.ts';
import { PlaybookSchema } from '../../core/playbook/playbook-schema.ts';
import { bootstrapWorkspace } from '../../server/bootstrap-workspace.ts';
import type { Config } from '../../server/config.ts';
import { createPlaybookStore } from '../../server/playbooks/playbook-store.ts';
import { publishPlaybook } from '../../server/playbooks/publish-playbook.ts';
import { openConfiguredDatabase } from '../open-from-config.ts';

function readSource(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read playbook file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function runPlaybookValidate(file: string): void {
  const parsed = parsePlaybook(readSource(file));
  if (parsed.ok) {
    process.stdout.write(`${file}: valid playbook "${parsed.value.name}"\n`);
    return;
  }
  for (const issue of parsed.error) process.stderr.write(`${file}:${issue.line ?? '?'}: ${issue.message}\n`);
  process.exitCode = 1;
}

export async function runPlaybookPublish(config: Config, file: string): Promise<void> {
  const source = readSource(file);
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await bootstrapWorkspace(database.db);
    const bar = new SingleBar({ format: 'rescoring [{bar}] {value}/{total} contacts', hideCursor: true });
    let started = false;
    const deps = { db: database.db, playbooks: createPlaybookStore(database.db), clock: Date.now };
    const result = await publishPlaybook(deps, workspaceId, source, 'cli', (progress) => {
      if (!started) bar.start(progress.total, progress.processed);
      started = true;
      bar.setTotal(progress.total);
      bar.update(progress.processed);
    });
    if (!result.ok) {
      for (const issue of result.issues) process.stderr.write(`${file}:${issue.line ?? '?'}: ${issue.message}\n`);
      process.exitCode = 1;
      return;
    }
    const done = await result.rescore;
    bar.stop();
    process.stdout.write(`published playbook version ${result.version}; rescored ${done.processed} contacts\n`);
  } finally {
    await database.close();
  }
}

export function runPlaybookSchema(options: { out?: string }): void {
  const text = `${JSON.stringify(PlaybookSchema, null, 2)}\n`;
  if (options.out) writeFileSync(options.out, text);
  else process.stdout.write(text);
}
