import { writeFileSync } from 'node:fs';
import { formatBacktest } from '../../core/backtest/format-backtest.ts';
import { formatSuggestion } from '../../core/suggest/format-suggestion.ts';
import { runBacktest } from '../../server/backtest/run-backtest.ts';
import type { Config } from '../../server/config.ts';
import { createPlaybookStore } from '../../server/playbooks/playbook-store.ts';
import { suggestPlaybook } from '../../server/suggest/suggest-playbook.ts';
import { openFirstWorkspace } from '../first-workspace.ts';
import { openConfiguredDatabase } from '../open-from-config.ts';

export interface SuggestOptions {
  out?: string;
  backtest?: boolean;
  from?: string;
  to?: string;
  json?: boolean;
}

/**
 * `ripen playbook suggest [--out FILE] [--backtest [--from --to]] [--json]`: points for the
 * published playbook's rules learned from won and lost leads, the draft written to FILE, and with
 * --backtest the draft replayed against the published playbook (docs/backtest.md).
 */
export async function runSuggestCommand(config: Config, options: SuggestOptions): Promise<void> {
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await openFirstWorkspace(database.db, config);
    const deps = { db: database.db, playbooks: createPlaybookStore(database.db), clock: Date.now };
    const suggestion = await suggestPlaybook(deps, workspaceId);
    if (!suggestion.ok) throw new Error(suggestion.error.message);
    if (options.out !== undefined) writeDraft(options.out, suggestion.value.draft);
    const backtest = options.backtest
      ? await runBacktest(
          deps,
          workspaceId,
          { draft: suggestion.value.draft, from: options.from, to: options.to },
          { limit: 20 },
        )
      : null;
    if (backtest && !backtest.ok) {
      throw new Error(backtest.error.message.replaceAll('`from`', '--from').replaceAll('`to`', '--to'));
    }
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ...suggestion.value, backtest: backtest?.value ?? null }, null, 2)}\n`);
      return;
    }
    const next =
      options.out === undefined
        ? 'Write the draft with --out FILE, then `ripen backtest FILE` and `ripen playbook publish FILE`.'
        : `Draft written to ${options.out}: edit it, \`ripen backtest ${options.out}\`, then \`ripen playbook publish ${options.out}\`.`;
    const parts = [formatSuggestion(suggestion.value), '', next];
    if (backtest) parts.push('', formatBacktest(backtest.value));
    process.stdout.write(`${parts.join('\n')}\n`);
  } finally {
    await database.close();
  }
}

function writeDraft(file: string, draft: string): void {
  try {
    writeFileSync(file, draft);
  } catch (error) {
    throw new Error(`cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
