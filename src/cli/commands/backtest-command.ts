import { readFileSync } from 'node:fs';
import { formatBacktest } from '../../core/backtest/format-backtest.ts';
import { parsePlaybook } from '../../core/playbook/parse-playbook.ts';
import { runBacktest } from '../../server/backtest/run-backtest.ts';
import type { Config } from '../../server/config.ts';
import { createPlaybookStore } from '../../server/playbooks/playbook-store.ts';
import { openFirstWorkspace } from '../first-workspace.ts';
import { openConfiguredDatabase } from '../open-from-config.ts';
import { progressBar } from '../progress.ts';

export interface BacktestOptions {
  from?: string;
  to?: string;
  json?: boolean;
  /** How many leads that change class to list (default 20; the JSON has the same number). */
  limit?: number;
}

/**
 * `ripen backtest <draft.yaml> [--from DATE] [--to DATE] [--json]`: the draft and the published
 * playbook replayed over a past period, side by side (docs/backtest.md); progress on stderr.
 */
export async function runBacktestCommand(config: Config, file: string, options: BacktestOptions): Promise<void> {
  const draft = readDraft(file);
  const parsed = parsePlaybook(draft);
  if (!parsed.ok) {
    for (const issue of parsed.error) process.stderr.write(`${file}:${issue.line ?? '?'}: ${issue.message}\n`);
    process.exitCode = 1;
    return;
  }
  const database = await openConfiguredDatabase(config);
  const bar = progressBar('backtest [{bar}] {value}/{total} contacts');
  let started = false;
  const onProgress = ({ done, total }: { done: number; total: number }) => {
    if (!started) bar.start(total, done);
    started = true;
    bar.setTotal(total);
    bar.update(done);
  };
  const result = await (async () => {
    try {
      const { workspaceId } = await openFirstWorkspace(database.db, config);
      const deps = { db: database.db, playbooks: createPlaybookStore(database.db), clock: Date.now };
      const request = { draft, from: options.from, to: options.to };
      return await runBacktest(deps, workspaceId, request, { limit: options.limit ?? 20, onProgress });
    } finally {
      if (started) bar.stop();
      await database.close();
    }
  })();
  if (!result.ok) throw new Error(result.error.message.replaceAll('`from`', '--from').replaceAll('`to`', '--to'));
  process.stdout.write(
    options.json ? `${JSON.stringify(result.value, null, 2)}\n` : `${formatBacktest(result.value)}\n`,
  );
}

function readDraft(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read playbook file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
