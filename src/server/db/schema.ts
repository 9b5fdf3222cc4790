import type { ColumnType, Generated } from 'kysely';

/** Kysely table types, matching the migrations. Timestamps come back as Date on both drivers. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface WorkspacesTable {
  id: Generated<string>;
  name: string;
  created_at: Generated<Date>;
}

export interface ApiKeysTable {
  workspace_id: string;
  id: Generated<string>;
  kind: 'secret' | 'write';
  name: string;
  prefix: string;
  secret_hash: string;
  scopes: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Generated<Date>;
  revoked_at: Timestamp | null;
}

export interface PlaybookVersionsTable {
  workspace_id: string;
  version: number;
  name: string;
  source: string;
  document: Json<unknown>;
  published_at: Generated<Date>;
  published_by: string;
}

export interface CompaniesTable {
  workspace_id: string;
  id: Generated<string>;
  domain: string | null;
  group_id: string | null;
  name: string | null;
  industry: string | null;
  employees: number | null;
  annual_revenue: number | null;
  founded_year: number | null;
  country: string | null;
  owner: string | null;
  properties: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ContactsTable {
  workspace_id: string;
  id: Generated<string>;
  email: string | null;
  user_id: string | null;
  first_name: string | null;
  last_name: string | null;
  job_title: string | null;
  seniority: string | null;
  role: string | null;
  phone: string | null;
  country: string | null;
  company_id: string | null;
  properties: Json<Record<string, unknown>>;
  stage: Generated<string>;
  owner: string | null;
  fit: Generated<number>;
  engagement: Generated<number>;
  score: Generated<number>;
  grade: Generated<string>;
  temperature: Generated<string>;
  predicted: number | null;
  playbook_version: number | null;
  scored_at: Timestamp | null;
  engagement_state: Json<unknown>;
  nurture_until: Timestamp | null;
  re_mql_count: Generated<number>;
  stage_entered_at: Json<Record<string, string>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AnonymousIdsTable {
  workspace_id: string;
  anonymous_id: string;
  contact_id: string;
  linked_at: Generated<Date>;
}

export interface EventsTable {
  workspace_id: string;
  id: Generated<number>;
  message_id: string;
  type: string;
  name: string | null;
  contact_id: string | null;
  anonymous_id: string | null;
  user_id: string | null;
  properties: Json<Record<string, unknown>>;
  context: Json<Record<string, unknown>>;
  source: string | null;
  occurred_at: Timestamp;
  received_at: Timestamp;
}

export interface QuarantineTable {
  workspace_id: string;
  id: Generated<number>;
  received_at: Timestamp;
  reason: string;
  payload: Json<unknown>;
}

export interface StageHistoryTable {
  workspace_id: string;
  id: Generated<number>;
  contact_id: string;
  from_stage: string | null;
  to_stage: string;
  at: Timestamp;
  actor: string;
  transition: string;
  rule: string | null;
  reason: string | null;
  playbook_version: number | null;
  score_snapshot: Json<unknown> | null;
}

export interface RescoreRunsTable {
  workspace_id: string;
  id: Generated<string>;
  playbook_version: number;
  status: 'running' | 'done';
  cursor: string | null;
  processed: Generated<number>;
  total: number;
  started_at: Generated<Date>;
  finished_at: Timestamp | null;
}

export interface Schema {
  workspaces: WorkspacesTable;
  api_keys: ApiKeysTable;
  playbook_versions: PlaybookVersionsTable;
  companies: CompaniesTable;
  contacts: ContactsTable;
  anonymous_ids: AnonymousIdsTable;
  events: EventsTable;
  quarantine: QuarantineTable;
  stage_history: StageHistoryTable;
  rescore_runs: RescoreRunsTable;
}
