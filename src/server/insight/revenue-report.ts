import { sql } from 'kysely';
import { formatCell, parseCell } from '../../core/insight/cell-key.ts';
import type { ReportParams } from '../../core/insight/report-query.ts';
import { REPORT_SPLITS, type RevenueReport, type RevenueRow, type Split } from '../../core/insight/report-types.ts';
import { ok } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { executeReport, leadCtes } from './lead-facts.ts';
import { periodOf, type ReportDefinition } from './report-definition.ts';
import { splitOf, withSplit } from './split-groups.ts';

/** The split revenue uses when the request names none. */
const DEFAULT_SPLIT: Split = REPORT_SPLITS.revenue.defaultSplit ?? 'first-touch-source';

/**
 * Deals won in the period (`won`: outcomes of kind `won` dated in it, currency upper-cased,
 * `none` when not given), their leads (`leads`, see lead-facts.ts) and the leads' groups
 * (`lead_groups`).
 */
function wonDeals(workspaceId: string, params: ReportParams) {
  const { from, to } = periodOf(params);
  const split = params.by ?? DEFAULT_SPLIT;
  const among = sql`select contact_id from won`;
  const group = splitOf(workspaceId, split, { amongLeads: true });
  return sql`with won as (
      select o.contact_id, coalesce(nullif(upper(btrim(o.currency)), ''), 'none') as currency, o.amount
      from outcomes o
      where o.workspace_id = ${workspaceId} and o.kind = 'won' and o.at >= ${from} and o.at < ${to}
    ),
    ${withSplit(leadCtes(workspaceId, { among }), group)},
    lead_groups as (select l.contact_id, ${group.label} as grp from leads l ${group.joins})`;
}

interface WonRow {
  grp: string | null;
  currency: string;
  is_total: number;
  deals: number;
  leads: number;
  amount: string;
}

function toRow(row: WonRow): RevenueRow {
  const group = Number(row.is_total) === 1 ? null : row.grp;
  return {
    group,
    currency: row.currency,
    amount: Number(row.amount),
    deals: Number(row.deals),
    leads: {
      count: Number(row.leads),
      cell: formatCell([
        ['group', group],
        ['currency', row.currency],
      ]),
    },
  };
}

const byLabel = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Won revenue per group (first-touch source unless `by` says otherwise) and currency, and per
 * currency in total. Amounts are summed as exact decimals, so both databases give the same cents.
 */
async function run(db: Db, workspaceId: string, params: ReportParams): Promise<RevenueReport> {
  const result = await executeReport(
    db,
    sql<WonRow>`${wonDeals(workspaceId, params)}
    select g.grp, w.currency, grouping(g.grp) as is_total, count(*) as deals, count(distinct w.contact_id) as leads,
      coalesce(sum(w.amount::numeric), 0)::text as amount
    from won w join lead_groups g on g.contact_id = w.contact_id
    group by grouping sets ((g.grp, w.currency), (w.currency))`,
  );
  const rows = result.map(toRow);
  const biggestFirst = (a: RevenueRow, b: RevenueRow) =>
    byLabel(a.currency, b.currency) || b.amount - a.amount || byLabel(a.group ?? '', b.group ?? '');
  return {
    report: 'revenue',
    from: new Date(params.from).toISOString(),
    to: new Date(params.to).toISOString(),
    by: params.by ?? DEFAULT_SPLIT,
    rows: rows.filter((row) => row.group !== null).sort(biggestFirst),
    totals: rows.filter((row) => row.group === null).sort(biggestFirst),
  };
}

/** `currency` (required) and `group`: the leads who won deals in that currency (and group) in the period. */
function cellLeads(workspaceId: string, params: ReportParams, cell: string) {
  const parsed = parseCell(cell, { allowed: ['group', 'currency'], required: ['currency'] });
  if (!parsed.ok) return parsed;
  const { group, currency } = parsed.value;
  return ok(sql`${wonDeals(workspaceId, params)}
    select w.contact_id from won w join lead_groups g on g.contact_id = w.contact_id
    where w.currency = ${currency ?? ''} ${group === undefined ? sql`` : sql`and g.grp = ${group}`}`);
}

export const revenueReport: ReportDefinition<RevenueReport> = { run, cellLeads };
