import type { PlaybookStore } from '../../core/playbook/playbook-store.ts';
import type { Db } from '../db/open-database.ts';
import { performSalesAction, type SalesAction } from '../handoff/perform-sales-action.ts';
import type { KeyIdentity } from '../workspaces/api-keys.ts';
import { rowId } from './csv-mapping.ts';
import type { ImportReport, PendingRow } from './import-csv.ts';

const OUTCOME_WORDS: Record<string, 'opportunity' | 'won' | 'lost'> = {
  opportunity: 'opportunity',
  open: 'opportunity',
  won: 'won',
  'closed won': 'won',
  'closed-won': 'won',
  closedwon: 'won',
  lost: 'lost',
  'closed lost': 'lost',
  'closed-lost': 'lost',
  closedlost: 'lost',
};

/**
 * CRM outcomes (opportunity, won, lost) by contact email. Each row is a sales action by the
 * import, so it obeys the lifecycle: a won or lost deal for an SQL first opens the opportunity.
 * The CRM deal id makes rows idempotent; a re-run reports them unchanged.
 */
export async function importOutcomes(
  deps: { db: Db; playbooks: PlaybookStore; clock: () => number },
  workspaceId: string,
  mapping: ReadonlyMap<string, string>,
  rows: readonly PendingRow[],
  report: ImportReport,
): Promise<void> {
  const importer: KeyIdentity = { workspaceId, keyId: 'crm-import', kind: 'secret', role: 'admin', userId: null };
  const field = (row: Record<string, string>, name: string) => {
    const column = mapping.get(name);
    const value = column === undefined ? '' : (row[column] ?? '').trim();
    return value === '' ? undefined : value;
  };
  const emails = rows.flatMap(({ row }) => field(row, 'email')?.toLowerCase() ?? []);
  const found =
    emails.length === 0
      ? []
      : await deps.db
          .selectFrom('contacts')
          .select(['id', 'email', 'stage'])
          .where('workspace_id', '=', workspaceId)
          .where('email', 'in', emails)
          .execute();
  const contactByEmail = new Map(found.map((contact) => [contact.email, contact]));
  for (const { line, row } of rows) {
    const bad = (message: string) => report.badRows.push({ line, message });
    const email = field(row, 'email')?.toLowerCase();
    const word = field(row, 'outcome')?.toLowerCase() ?? '';
    const outcome = OUTCOME_WORDS[word];
    if (!email) {
      bad('`email` is empty; map the contact email column with email=<Column>');
      continue;
    }
    if (!outcome) {
      bad(`\`outcome\` must be opportunity, won or lost (or closed won / closed lost), got \`${word}\``);
      continue;
    }
    const contact = contactByEmail.get(email);
    if (!contact) {
      bad('no contact with this email in the workspace; import the contact first');
      continue;
    }
    const amountText = field(row, 'amount');
    const amount = amountText === undefined ? undefined : Number(amountText.replace(/[,\s]/g, ''));
    if (amount !== undefined && !Number.isFinite(amount)) {
      bad(`\`amount\` must be a number, got \`${amountText}\``);
      continue;
    }
    const dateText = field(row, 'date');
    const at = dateText === undefined ? undefined : Date.parse(dateText);
    if (at !== undefined && !Number.isFinite(at)) {
      bad(`\`date\` must be a date like 2026-05-04, got \`${dateText}\``);
      continue;
    }
    const money = {
      amount,
      currency: field(row, 'currency')?.toUpperCase(),
      // Without a deal id the row is recognised by its content, so a re-run changes nothing.
      externalId: field(row, 'dealId') ?? rowId('outcomes', row),
      at,
    };
    // Won and lost are facts from the CRM, recorded whatever the stage; an open opportunity is a
    // sales move, so it needs an SQL as in the app.
    const actions: SalesAction[] =
      outcome === 'opportunity'
        ? [{ kind: 'create-opportunity', ...money }]
        : [{ kind: 'record-outcome', outcome, reason: field(row, 'reason'), imported: true, ...money }];
    let unchanged = true;
    for (const action of actions) {
      const result = await performSalesAction(deps, importer, contact.id, action);
      if (!result.ok) {
        bad(result.error.message);
        unchanged = false;
        break;
      }
      if (!result.value.unchanged) unchanged = false;
      contact.stage = result.value.stage;
    }
    if (report.badRows.at(-1)?.line === line) continue;
    if (unchanged) report.unchanged++;
    else report.imported++;
  }
}
