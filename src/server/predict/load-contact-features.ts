import { sql } from 'kysely';
import type { TrainingRow, TrainingValue } from '../../core/predict/infer-columns.ts';
import { jsonRows } from '../db/bulk.ts';
import type { Db } from '../db/open-database.ts';
import { channelLabel, SOURCE_LABEL, touchesOf } from '../insight/touches.ts';

/** A contact and the moment its features are read at: its first hand-off to sales, or now. */
export interface FeatureTarget {
  contactId: string;
  asOf: Date;
}

/** A contact's features before the engagement kinds are chosen. */
export interface RawFeatures {
  contactId: string;
  profile: Record<string, TrainingValue>;
  properties: Record<string, unknown>;
  /** Events of each kind the lead did up to its moment. */
  kinds: Map<string, number>;
}

const DAY_MS = 86_400_000;

/**
 * The first move into `mql` of a contact `c`, as a column: the moment its features are read at
 * (the model learns what sales saw when the lead reached them). Null for a contact never an MQL.
 */
export const FIRST_MQL_AT = sql<Date | null>`(
  select min(h.at) from stage_history h
  where h.workspace_id = c.workspace_id and h.contact_id = c.id and h.to_stage = 'mql'
)`;

function targetRows(targets: readonly FeatureTarget[]) {
  return jsonRows(targets.map((target) => ({ contact_id: target.contactId, as_of: target.asOf.toISOString() })));
}

/** Profile, company and first touch; engagement totals by recency; owner (recorded at hand-off). */
async function loadProfiles(db: Db, workspaceId: string, targets: readonly FeatureTarget[]) {
  const result = await sql<Record<string, unknown> & { contact_id: string; properties: Record<string, unknown> }>`
    with leads as (
      select * from jsonb_to_recordset(${targetRows(targets)}) as t(contact_id uuid, as_of timestamptz)
    ),
    first_touch as (${touchesOf(workspaceId, 'first', { amongLeads: true })}),
    activity as (
      select l.contact_id,
        count(*) filter (where e.occurred_at > l.as_of - interval '7 days') as total_7d,
        count(*) filter (where e.occurred_at > l.as_of - interval '30 days') as total_30d,
        count(*) filter (where e.occurred_at > l.as_of - interval '90 days') as total_90d,
        count(distinct date_trunc('day', e.occurred_at)) as active_days,
        extract(epoch from l.as_of - max(e.occurred_at)) * 1000 as since_last_ms
      from leads l join events e on e.workspace_id = ${workspaceId} and e.contact_id = l.contact_id
        and e.occurred_at <= l.as_of and e.type in ('page', 'track')
      group by l.contact_id, l.as_of
    )
    select l.contact_id, c.role, c.seniority, c.country, c.job_title, c.owner, c.properties,
      co.industry, co.employees, co.annual_revenue, co.founded_year, co.country as company_country,
      ${SOURCE_LABEL} as source, ${channelLabel()} as channel,
      a.total_7d, a.total_30d, a.total_90d, a.active_days, a.since_last_ms
    from leads l
    join contacts c on c.workspace_id = ${workspaceId} and c.id = l.contact_id
    left join companies co on co.workspace_id = c.workspace_id and co.id = c.company_id
    left join first_touch t on t.contact_id = l.contact_id
    left join activity a on a.contact_id = l.contact_id`.execute(db);
  return result.rows;
}

/** Counts of each event kind (`Pricing page` for a page named Pricing, a track event's name) up to each contact's moment. */
async function loadKinds(db: Db, workspaceId: string, targets: readonly FeatureTarget[]) {
  const result = await sql<{ contact_id: string; kind: string; count: string }>`
    with leads as (
      select * from jsonb_to_recordset(${targetRows(targets)}) as t(contact_id uuid, as_of timestamptz)
    )
    select l.contact_id,
      case when e.type = 'page' then coalesce(e.name, 'other') || ' page' else e.name end as kind,
      count(*) as count
    from leads l join events e on e.workspace_id = ${workspaceId} and e.contact_id = l.contact_id
      and e.occurred_at <= l.as_of and e.type in ('page', 'track') and (e.type = 'page' or e.name is not null)
    group by 1, 2`.execute(db);
  return result.rows;
}

const number = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

function profileOf(row: Record<string, unknown>): Record<string, TrainingValue> {
  const sinceLast = number(row.since_last_ms);
  return {
    role: text(row.role),
    seniority: text(row.seniority),
    country: text(row.country),
    'job title': text(row.job_title),
    owner: text(row.owner),
    'company industry': text(row.industry),
    'company employees': number(row.employees),
    'company revenue': number(row.annual_revenue),
    'company founded': number(row.founded_year),
    'company country': text(row.company_country),
    'first-touch source': text(row.source) ?? 'direct',
    'first-touch channel': text(row.channel) ?? 'direct',
    'events, last 7 days': number(row.total_7d) ?? 0,
    'events, last 30 days': number(row.total_30d) ?? 0,
    'events, last 90 days': number(row.total_90d) ?? 0,
    'active days': number(row.active_days) ?? 0,
    'days since last event': sinceLast === null ? null : Math.floor(sinceLast / DAY_MS),
  };
}

/**
 * Reads what the model learns from for a batch of contacts, each as of its own moment, so
 * training sees a won lead as it looked when sales got it and nothing written after.
 */
export async function loadContactFeatures(
  db: Db,
  workspaceId: string,
  targets: readonly FeatureTarget[],
): Promise<RawFeatures[]> {
  if (targets.length === 0) return [];
  const profiles = await loadProfiles(db, workspaceId, targets);
  const kinds = await loadKinds(db, workspaceId, targets);
  const byContact = new Map<string, Map<string, number>>();
  for (const row of kinds) {
    const counts = byContact.get(row.contact_id) ?? new Map<string, number>();
    counts.set(row.kind, Number(row.count));
    byContact.set(row.contact_id, counts);
  }
  return profiles.map((row) => ({
    contactId: row.contact_id,
    profile: profileOf(row),
    properties: row.properties ?? {},
    kinds: byContact.get(row.contact_id) ?? new Map(),
  }));
}

/** The columns recorded when a lead reaches sales, offered so the leakage guard names them. */
export const RECORDED_AFTER_HANDOFF = ['owner'];

/**
 * The version of the columns above. A stored model names the columns it reads: when they
 * change (renamed, recomputed), bump this, and models trained before stop serving until the
 * next training run instead of reading missing columns.
 */
export const FEATURE_SET = 1;

/** The shape every row takes once the kinds and properties to learn from are chosen. */
export interface FeatureLayout {
  featureSet: number;
  kinds: string[];
  properties: string[];
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function mostCommon(counts: Map<string, number>, minimum: number, limit: number): string[] {
  return [...counts]
    .filter(([, count]) => count >= minimum)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([name]) => name)
    .sort();
}

/**
 * Chooses the engagement kinds and custom properties worth a column: the kinds most leads
 * did (at most 8; recency is in the totals, so a kind is one column of all its events) and the scalar properties at least a tenth of the leads have (at most 20).
 */
export function chooseLayout(features: readonly RawFeatures[]): FeatureLayout {
  const kindLeads = new Map<string, number>();
  const propertyLeads = new Map<string, number>();
  for (const feature of features) {
    for (const kind of feature.kinds.keys()) kindLeads.set(kind, (kindLeads.get(kind) ?? 0) + 1);
    for (const [key, value] of Object.entries(feature.properties))
      if (isScalar(value)) propertyLeads.set(key, (propertyLeads.get(key) ?? 0) + 1);
  }
  return {
    featureSet: FEATURE_SET,
    kinds: mostCommon(kindLeads, Math.max(1, features.length * 0.02), 8),
    properties: mostCommon(propertyLeads, features.length * 0.1, 20),
  };
}

/** One contact's features as a training row in the chosen layout; kinds it never did count 0. */
export function toTrainingRow(feature: RawFeatures, layout: FeatureLayout): TrainingRow {
  const row: Record<string, TrainingValue> = { ...feature.profile };
  for (const kind of layout.kinds) row[kind] = feature.kinds.get(kind) ?? 0;
  for (const key of layout.properties) {
    const value = feature.properties[key];
    row[`property ${key}`] = isScalar(value) ? (typeof value === 'boolean' ? String(value) : value) : null;
  }
  return row;
}
