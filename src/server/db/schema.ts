import type { ColumnType, Generated } from 'kysely';
import type { CompanyProfileRow } from '../../core/companies/company-fields.ts';
import type { ContactProfileRow } from '../../core/contacts/contact-fields.ts';

/** Kysely table types, matching the migrations. Timestamps come back as Date on both drivers. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface WorkspacesTable {
  id: Generated<string>;
  name: string;
  created_at: Generated<Date>;
  /** PrivacySettings (core/privacy/privacy-settings.ts); `{}` is the defaults. */
  privacy: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** The enrichment endpoint's settings (server/enrichment); `{}` is none. */
  enrichment: ColumnType<Record<string, unknown>, string | undefined, string>;
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
  role: ColumnType<KeyRole, KeyRole | undefined, KeyRole>;
  /** Who the key acts for (a rep's id, as in the playbook's teams); null for service keys. */
  user_id: string | null;
  /** Write keys: the only origins (`https://example.com`) browsers may send events from; empty for any. */
  allowed_origins: ColumnType<string[], string[] | undefined, string[]>;
}

export type KeyRole = 'admin' | 'manager' | 'rep';

export interface PlaybookVersionsTable {
  workspace_id: string;
  version: number;
  name: string;
  source: string;
  document: Json<unknown>;
  published_at: Generated<Date>;
  published_by: string;
}

/** Profile columns (name, industry, employees, …) come from the company field table. */
export interface CompaniesTable extends CompanyProfileRow {
  workspace_id: string;
  id: Generated<string>;
  domain: string | null;
  group_id: string | null;
  owner: string | null;
  properties: Json<Record<string, unknown>>;
  /** The company score (centi-points) under `scored_version`; null while the playbook has no company section. */
  score: number | null;
  /** Engagement rolled up from its contacts (centi-points, before the section's cap), and how many are engaged. */
  engagement: Generated<number>;
  engaged_contacts: Generated<number>;
  scored_version: number | null;
  /** null: not tried yet; retry, done, not-found, failed, skipped (no domain). */
  enrichment_status: string | null;
  enrichment_attempts: Generated<number>;
  enrichment_due_at: Timestamp | null;
  enriched_at: Timestamp | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A company whose contacts were scored: the scoring worker rolls its score up (server/scoring/company-scores.ts). */
export interface CompanyScoreQueueTable {
  workspace_id: string;
  id: Generated<string>;
  company_id: string;
}

/** An enrichment endpoint's answer for a domain, kept so that a domain is asked once per cache period. */
export interface EnrichmentCacheTable {
  workspace_id: string;
  domain: string;
  status: 'found' | 'not-found';
  traits: Json<Record<string, unknown>>;
  fetched_at: Timestamp;
}

/** Profile columns (first_name, job_title, …) come from the contact field table. */
export interface ContactsTable extends ContactProfileRow {
  workspace_id: string;
  id: Generated<string>;
  email: string | null;
  user_id: string | null;
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
  predicted_version: number | null;
  playbook_version: number | null;
  scored_at: Timestamp | null;
  /** Lower-cased email, names, job title and user id: what the list's text search matches (generated). */
  search_text: ColumnType<string, never, never>;
  nurture_until: Timestamp | null;
  re_mql_count: Generated<number>;
  stage_entered_at: Json<Record<string, string>>;
  team_id: string | null;
  qualification: ColumnType<Record<string, string>, string | undefined, string>;
  nurture_track: string | null;
  /**
   * What the funnel reports need of the contact's stage history, kept by triggers on
   * `stage_history` (migration 0019); only the lifecycle writer folds its moves in itself.
   */
  funnel_first_move_at: ColumnType<Date | null, never, never>;
  funnel_reached: ColumnType<number | null, never, never>;
  funnel_first_mql_at: ColumnType<Date | null, never, never>;
  /** Its first move into `mql` (migration 0021): the history row, its playbook version, grade and temperature. */
  funnel_first_mql_move: ColumnType<string | null, never, never>;
  funnel_first_mql_version: ColumnType<number | null, never, never>;
  funnel_first_mql_grade: ColumnType<string | null, never, never>;
  funnel_first_mql_temperature: ColumnType<string | null, never, never>;
  /** Its creation or its first stage move, whichever came first (generated). */
  funnel_entered_at: ColumnType<Date, never, never>;
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
  /** The sender's message id, when it gave one: kept once per workspace. */
  message_id: string | null;
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

export interface ScoreQueueTable {
  workspace_id: string;
  id: Generated<number>;
  contact_id: string | null;
  company_id: string | null;
  message_ids: ColumnType<string[], string[] | undefined, string[]>;
  queued_at: Generated<Date>;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobsTable {
  workspace_id: string;
  id: Generated<number>;
  kind: string;
  payload: Json<Record<string, unknown>>;
  dedupe_key: string | null;
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>;
  run_at: Timestamp;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: Generated<Date>;
  finished_at: Timestamp | null;
}

export interface RepAvailabilityTable {
  workspace_id: string;
  rep_id: string;
  available: boolean;
  until: Timestamp | null;
  updated_at: Generated<Date>;
}

export interface RoutingRotationsTable {
  workspace_id: string;
  team_id: string;
  state: Json<unknown>;
  picks: Generated<number>;
}

export type HandoffStatus = 'open' | 'touched' | 'closed';

export interface HandoffsTable {
  workspace_id: string;
  id: Generated<string>;
  contact_id: string;
  owner: string;
  team_id: string | null;
  status: ColumnType<HandoffStatus, HandoffStatus | undefined, HandoffStatus>;
  closed_reason: string | null;
  qualified_at: Timestamp;
  warn_at: Timestamp;
  due_at: Timestamp;
  warned_at: Timestamp | null;
  breached_at: Timestamp | null;
  escalation_step: Generated<number>;
  next_escalation_at: Timestamp | null;
  first_touch_at: Timestamp | null;
  touch_channel: string | null;
  created_at: Generated<Date>;
}

export interface OutcomesTable {
  workspace_id: string;
  id: Generated<string>;
  contact_id: string;
  kind: 'opportunity' | 'won' | 'lost';
  reason: string | null;
  amount: number | null;
  currency: string | null;
  external_id: string | null;
  at: Timestamp;
  actor: string;
  created_at: Generated<Date>;
}

export interface WebhookEndpointsTable {
  workspace_id: string;
  id: Generated<string>;
  url: string;
  description: string | null;
  secret: string;
  event_types: ColumnType<string[], string[] | undefined, string[]>;
  enabled: Generated<boolean>;
  disabled_reason: string | null;
  failing_since: Timestamp | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface WebhookMessagesTable {
  workspace_id: string;
  id: string;
  /** Write order, for listing a lead's messages in the order they happened. */
  seq: Generated<number>;
  type: string;
  payload: Json<unknown>;
  created_at: Timestamp;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'gone';

export interface WebhookDeliveriesTable {
  workspace_id: string;
  id: Generated<number>;
  message_id: string;
  endpoint_id: string;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  first_attempt_at: Timestamp | null;
  last_attempt_at: Timestamp | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  created_at: Generated<Date>;
}

export type UserRole = 'admin' | 'marketing' | 'manager' | 'rep' | 'viewer';

export interface UsersTable {
  workspace_id: string;
  id: Generated<string>;
  /** Lower-cased: one user per email on the server (people sign in with an email alone). */
  email: string;
  role: UserRole;
  /** argon2id, with its parameters and salt (PHC string). */
  password_hash: string;
  created_at: Generated<Date>;
  password_changed_at: Generated<Date>;
  removed_at: Timestamp | null;
  /** The web app's language this person picked (`pl`); null for their browser's. */
  language: string | null;
}

export interface SessionsTable {
  /** SHA-256 of the session id; the id itself is only ever in the browser's cookie. */
  id_hash: string;
  workspace_id: string;
  user_id: string;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

export interface SignInFailuresTable {
  /** `account:<email>` or `ip:<address>`. */
  key: string;
  at: Timestamp;
}

export interface AuditLogTable {
  /** Null for what happens before a workspace is known: a failed sign-in with an unknown email. */
  workspace_id: string | null;
  id: Generated<number>;
  at: Timestamp;
  /** `user:<email>`, `key:<id>` or `cli`. */
  actor: string;
  action: string;
  target: string | null;
  details: Json<Record<string, unknown>>;
  ip: string | null;
}

/** A workspace's email provider: its webhooks' token (hashed) and signing settings (email-events/email-sources.ts). */
export interface EmailSourcesTable {
  workspace_id: string;
  provider: string;
  token_hash: string;
  settings: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** An identity of an erased contact, hashed (privacy/suppression-hash.ts): what may not come back. */
export interface SuppressionsTable {
  workspace_id: string;
  hash: string;
  kind: 'email' | 'user' | 'anonymous';
  created_at: Generated<Date>;
}

/** A contact's consent for one purpose: the latest decision, when, through what and recorded by whom. */
export interface ContactConsentsTable {
  workspace_id: string;
  contact_id: string;
  purpose: string;
  granted: boolean;
  at: Timestamp;
  source: string;
  recorded_by: string;
}

/** A contact's engagement state (core/scoring/engagement-state.ts); none is the empty state. */
export interface ContactEngagementTable {
  workspace_id: string;
  contact_id: string;
  state: Json<unknown>;
}

/** One explicit merge of two contacts (contacts/merge-contacts.ts): enough to undo it. */
export interface ContactMergesTable {
  workspace_id: string;
  id: Generated<string>;
  survivor_id: string;
  merged_id: string;
  reason: string;
  merged_by: string;
  merged_at: Timestamp;
  snapshot: Json<unknown>;
  moved: Json<unknown>;
  undone_by: string | null;
  undone_at: Timestamp | null;
}

/** An email or user id of a merged contact, naming the contact it was merged into. */
export interface ContactAliasesTable {
  workspace_id: string;
  kind: 'email' | 'user';
  value: string;
  contact_id: string;
  merge_id: string;
}

/** One training run of a workspace's predictive model (docs/predictive.md). */
export interface PredictiveModelsTable {
  workspace_id: string;
  version: number;
  status: 'trained' | 'refused';
  trained_at: Timestamp;
  outcomes: number;
  positives: number;
  message: string | null;
  report: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  model: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  predicted: Generated<number>;
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
  score_queue: ScoreQueueTable;
  jobs: JobsTable;
  rep_availability: RepAvailabilityTable;
  routing_rotations: RoutingRotationsTable;
  handoffs: HandoffsTable;
  outcomes: OutcomesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_messages: WebhookMessagesTable;
  webhook_deliveries: WebhookDeliveriesTable;
  users: UsersTable;
  sessions: SessionsTable;
  sign_in_failures: SignInFailuresTable;
  audit_log: AuditLogTable;
  email_sources: EmailSourcesTable;
  suppressions: SuppressionsTable;
  contact_consents: ContactConsentsTable;
  contact_engagement: ContactEngagementTable;
  contact_merges: ContactMergesTable;
  contact_aliases: ContactAliasesTable;
  enrichment_cache: EnrichmentCacheTable;
  company_score_queue: CompanyScoreQueueTable;
  predictive_models: PredictiveModelsTable;
}
