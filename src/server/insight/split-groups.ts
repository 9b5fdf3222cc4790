import { type RawBuilder, sql } from 'kysely';
import { SIZE_BANDS, UNKNOWN_SIZE } from '../../core/insight/company-size.ts';
import type { Split, TouchSplit } from '../../core/insight/report-types.ts';
import { assertUnreachable } from '../../core/result.ts';
import { CAMPAIGN_LABEL, channelLabel, SOURCE_LABEL, type Touch, type TouchOptions, touchesCte } from './touches.ts';

function touchOf(split: TouchSplit): Touch {
  return split.startsWith('first-') ? 'first' : 'last';
}

function touchLabel(split: TouchSplit): RawBuilder<string> {
  if (split.endsWith('-source')) return SOURCE_LABEL;
  if (split.endsWith('-channel')) return channelLabel();
  return CAMPAIGN_LABEL;
}

/** The size band of the employee count `co.employees`, from core/insight/company-size.ts. */
function sizeBand(): RawBuilder<string> {
  const bands = SIZE_BANDS.map((band) =>
    band.max === null ? sql`else ${band.label}::text` : sql`when co.employees <= ${band.max} then ${band.label}::text`,
  );
  return sql<string>`case when co.employees is null or co.employees < 1 then ${UNKNOWN_SIZE}::text ${sql.join(bands, sql` `)} end`;
}

/**
 * A lead's group under a split: the common table expressions it needs (after lead-facts.ts'
 * `leadCtes`; null for none), what to join to a lead `l`, and the label over it.
 */
export interface SplitSql {
  ctes: RawBuilder<unknown> | null;
  joins: RawBuilder<unknown>;
  label: RawBuilder<string>;
  /**
   * For a touch split, the touch's columns the label reads (`t.…`): leads are counted by
   * those first, and the label is worked out once per distinct origin rather than per lead.
   */
  keys: RawBuilder<unknown> | null;
}

/**
 * Each lead's group under `split`, or one group for all (`null`): every lead gets a group. A
 * lead without a touch is `direct` (campaign `none`), without a company or industry `unknown`,
 * without an owner `unassigned`, never an MQL `none`. Labels people type differently are
 * lower-cased (sources, campaigns, industries). `touches` says how touch splits read touches
 * (see `touchesCte`).
 */
export function splitOf(workspaceId: string, split: Split | null, touches: TouchOptions = {}): SplitSql {
  const company = sql`left join companies co on co.workspace_id = ${workspaceId} and co.id = l.company_id`;
  switch (split) {
    case null:
      return { ctes: null, joins: sql``, label: sql<string>`null::text`, keys: null };
    case 'first-touch-source':
    case 'last-touch-source':
    case 'first-touch-channel':
    case 'last-touch-channel':
    case 'first-touch-campaign':
    case 'last-touch-campaign':
      return {
        ctes: touchesCte(workspaceId, touchOf(split), touches),
        joins: sql`left join touches t on t.contact_id = l.contact_id`,
        label: touchLabel(split),
        keys: sql`t.tagged_source, t.medium, t.campaign, t.referrer_host`,
      };
    case 'industry':
      return {
        ctes: null,
        joins: company,
        label: sql<string>`coalesce(nullif(lower(btrim(co.industry)), ''), 'unknown')`,
        keys: null,
      };
    case 'size':
      return { ctes: null, joins: company, label: sizeBand(), keys: null };
    case 'owner':
      return {
        ctes: null,
        joins: sql``,
        label: sql<string>`coalesce(nullif(btrim(l.owner), ''), 'unassigned')`,
        keys: null,
      };
    case 'playbook-version':
      return { ctes: null, joins: sql``, label: sql<string>`coalesce(l.mql_version::text, 'none')`, keys: null };
    default:
      return assertUnreachable(split);
  }
}

/** The `with` list of leads and, with a split that needs any, its own expressions. */
export function withSplit(leads: RawBuilder<unknown>, split: SplitSql): RawBuilder<unknown> {
  return split.ctes === null ? leads : sql`${leads}, ${split.ctes}`;
}
