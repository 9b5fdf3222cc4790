import { receiveMessages } from '../server/events/receive-messages.ts';
import { resolveMapping } from '../server/imports/csv-mapping.ts';
import type { ImportReport, PendingRow } from '../server/imports/import-csv.ts';
import { importOutcomes } from '../server/imports/import-outcomes.ts';
import { type CrmDeal, type CrmDealsOptions, generateCrmDeals } from './generate-crm-deals.ts';
import type { DemoMessage } from './generate-demo.ts';
import type { DemoDeps } from './load-demo.ts';

const BATCH = 500;

/** The deals export's columns, as a CRM names them, and the `--map` pairs a person would give. */
const DEALS_HEADER = ['Opportunity ID', 'Email', 'Stage', 'Close Date', 'Amount', 'Currency', 'Loss Reason'];
const DEALS_MAPPING = ['dealId=Opportunity ID', 'outcome=Stage', 'date=Close Date', 'reason=Loss Reason'];

function dealRow(deal: CrmDeal): Record<string, string> {
  return {
    'Opportunity ID': deal.dealId,
    Email: deal.email,
    Stage: deal.outcome === 'won' ? 'Closed Won' : 'Closed Lost',
    'Close Date': new Date(deal.closedAt).toISOString().slice(0, 10),
    Amount: String(deal.amount),
    Currency: 'EUR',
    'Loss Reason': deal.lostReason ?? '',
  };
}

/**
 * The CRM's deals closed before Ripen went live (`options.until`), imported today (the
 * clock's time) to train the predictive model on, as a team would bring them in: the people
 * and what the site saw of them through ingestion, as an import sends them, then the deals
 * through the outcome import (server/imports/import-outcomes.ts), each row a `Closed Won`
 * or `Closed Lost` by email with its deal id, amount and close date, once the people are
 * scored (the stage history records each import with the score the lead had). That history
 * raises no hand and is older than the MQL criteria look, so the leads go from `lead`
 * straight to customer or to nurture, and nobody's inbox changes.
 */
export async function importCrmDeals(
  deps: DemoDeps,
  workspaceId: string,
  options: CrmDealsOptions,
): Promise<{ contacts: number; messages: number; deals: number }> {
  const mapping = resolveMapping('outcomes', DEALS_HEADER, DEALS_MAPPING);
  if (!mapping.ok) throw new Error(`the demo's deals export does not map: ${mapping.error}`);
  const rows: PendingRow[] = [];
  let pending: DemoMessage[] = [];
  let contacts = 0;
  let messages = 0;
  const ingest = async () => {
    if (pending.length === 0) return;
    const result = await receiveMessages(deps, workspaceId, pending, null, 'import');
    if (!result.ok) throw new Error(`demo CRM data was not stored: ${result.error.message}`);
    const refused = result.value.errors[0];
    if (refused) throw new Error(`demo CRM data was rejected: ${refused.message}`);
    messages += pending.length;
    pending = [];
  };
  for (const chunk of generateCrmDeals(options)) {
    contacts += chunk.contacts.length;
    for (const message of chunk.messages) pending.push(message);
    // Line numbers as in the exported file, whose first line is its header.
    for (const deal of chunk.deals) rows.push({ line: rows.length + 2, row: dealRow(deal) });
    if (pending.length >= BATCH) await ingest();
  }
  await ingest();
  await deps.scoring.drain();
  const report: ImportReport = { rows: rows.length, imported: 0, unchanged: 0, badRows: [], warnings: [] };
  for (let start = 0; start < rows.length; start += BATCH) {
    await importOutcomes(deps, workspaceId, mapping.value, rows.slice(start, start + BATCH), report);
  }
  const bad = report.badRows[0];
  if (bad) throw new Error(`demo CRM deal on line ${bad.line} was not imported: ${bad.message}`);
  return { contacts, messages, deals: report.imported };
}
