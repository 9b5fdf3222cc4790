import { type Static, Type } from '@sinclair/typebox';
import type { Selectable } from 'kysely';
import { fromCenti } from '../../core/scoring/points.ts';
import type { ContactsTable } from '../db/schema.ts';
import { Nullable } from '../http/schema-helpers.ts';

/** A contact as the API shows it. Scores are in points (two decimals), grade × temperature as `cell`. */
export const ContactView = Type.Object({
  id: Type.String(),
  email: Nullable(Type.String()),
  userId: Nullable(Type.String()),
  firstName: Nullable(Type.String()),
  lastName: Nullable(Type.String()),
  jobTitle: Nullable(Type.String()),
  seniority: Nullable(Type.String()),
  role: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  country: Nullable(Type.String()),
  companyId: Nullable(Type.String()),
  properties: Type.Record(Type.String(), Type.Unknown()),
  stage: Type.String(),
  owner: Nullable(Type.String()),
  fit: Type.Number(),
  engagement: Type.Number(),
  score: Type.Number(),
  grade: Type.String(),
  temperature: Type.String(),
  cell: Type.String({ description: 'grade × temperature, e.g. A-hot' }),
  predicted: Nullable(Type.Number()),
  playbookVersion: Nullable(Type.Integer()),
  scoredAt: Nullable(Type.String()),
  stageEnteredAt: Type.Record(Type.String(), Type.String()),
  reMqlCount: Type.Integer(),
  nurtureUntil: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type ContactView = Static<typeof ContactView>;

export type ContactRow = Selectable<ContactsTable>;

export function toContactView(row: Omit<ContactRow, 'engagement_state' | 'workspace_id'>): ContactView {
  return {
    id: row.id,
    email: row.email,
    userId: row.user_id,
    firstName: row.first_name,
    lastName: row.last_name,
    jobTitle: row.job_title,
    seniority: row.seniority,
    role: row.role,
    phone: row.phone,
    country: row.country,
    companyId: row.company_id,
    properties: row.properties,
    stage: row.stage,
    owner: row.owner,
    fit: fromCenti(row.fit),
    engagement: fromCenti(row.engagement),
    score: fromCenti(row.score),
    grade: row.grade,
    temperature: row.temperature,
    cell: `${row.grade}-${row.temperature}`,
    predicted: row.predicted,
    playbookVersion: row.playbook_version,
    scoredAt: row.scored_at?.toISOString() ?? null,
    stageEnteredAt: row.stage_entered_at,
    reMqlCount: row.re_mql_count,
    nurtureUntil: row.nurture_until?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Contact columns without the (large) engagement state. */
export const CONTACT_COLUMNS = [
  'id',
  'email',
  'user_id',
  'first_name',
  'last_name',
  'job_title',
  'seniority',
  'role',
  'phone',
  'country',
  'company_id',
  'properties',
  'stage',
  'owner',
  'fit',
  'engagement',
  'score',
  'grade',
  'temperature',
  'predicted',
  'playbook_version',
  'scored_at',
  'stage_entered_at',
  're_mql_count',
  'nurture_until',
  'created_at',
  'updated_at',
] as const;
