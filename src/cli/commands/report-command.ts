import { formatLeads, formatReport } from '../../core/insight/format-report.ts';
import { parseReportQuery } from '../../core/insight/report-query.ts';
import type { ReportLead } from '../../core/insight/report-types.ts';
import type { Config } from '../../server/config.ts';
import { listReportLeads, runReport } from '../../server/insight/run-report.ts';
import { openFirstWorkspace } from '../first-workspace.ts';
import { openConfiguredDatabase } from '../open-from-config.ts';

export interface ReportOptions {
  from?: string;
  to?: string;
  by?: string;
  json?: boolean;
  /** A figure's `cell`: list the leads behind it instead of the report. */
  leads?: string;
}

/**
 * `ripen report <name> [--from DATE] [--to DATE] [--by SPLIT] [--json] [--leads CELL]`: a funnel
 * report as tables (or JSON), or the leads behind one of its figures (docs/insight.md).
 */
export async function runReportCommand(config: Config, name: string, options: ReportOptions): Promise<void> {
  const now = Date.now();
  const parsed = parseReportQuery(name, { from: options.from, to: options.to, by: options.by }, now);
  if (!parsed.ok)
    throw new Error(
      parsed.error.message.replaceAll('`from`', '--from').replaceAll('`to`', '--to').replaceAll('`by`', '--by'),
    );
  const { report, params } = parsed.value;
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await openFirstWorkspace(database.db, config);
    if (options.leads !== undefined) {
      const leads: ReportLead[] = [];
      let cursor: string | undefined;
      do {
        const page = await listReportLeads(database.db, workspaceId, report, params, {
          cell: options.leads,
          cursor,
          limit: 500,
        });
        if (!page.ok) throw new Error(page.error.message);
        leads.push(...page.value.items);
        cursor = page.value.nextCursor ?? undefined;
      } while (cursor);
      process.stdout.write(options.json ? `${JSON.stringify(leads, null, 2)}\n` : `${formatLeads(leads)}\n`);
      return;
    }
    const result = await runReport(database.db, workspaceId, report, params);
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatReport(result)}\n`);
  } finally {
    await database.close();
  }
}
