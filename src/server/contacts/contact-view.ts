import { type Static, Type } from '@sinclair/typebox';
import type { Selectable } from 'kysely';
import {
  CONTACT_PROFILE_COLUMNS,
  contactProfileOf,
  contactProfileSchemas,
} from '../../core/contacts/contact-fields.ts';
import { fromCenti } from '../../core/scoring/points.ts';
import type { ContactsTable } from '../db/schema.ts';
import { Nullable } from '../http/schema-helpers.ts';

/** A contact as the API shows it. Scores are in points (two decimals), grade × temperature as `cell`. */
export const ContactView = Type.Object({
  id: Type.String(),
  email: Nullable(Type.String()),
  userId: Nullable(Type.String()),
  ...contactProfileSchemas(() => Nullable(Type.String())),
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
  predicted: Nullable(
    Type.Number({ description: 'the predictive model’s probability of a win, 0–1 (docs/predictive.md)' }),
  ),
  predictedVersion: Nullable(Type.Integer({ description: 'the model version that wrote `predicted`' })),
  playbookVersion: Nullable(Type.Integer()),
  scoredAt: Nullable(Type.String()),
  stageEnteredAt: Type.Record(Type.String(), Type.String()),
  reMqlCount: Type.Integer(),
  nurtureUntil: Nullable(Type.String()),
  teamId: Nullable(Type.String()),
  nurtureTrack: Nullable(Type.String()),
  qualification: Type.Record(Type.String(), Type.String(), {
    description: 'budget, authority, need and timeline as recorded by sales',
  }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type ContactView = Static<typeof ContactView>;

export type ContactRow = Selectable<ContactsTable>;

/** Columns kept for the reports (migrations 0019 and 0021), not part of what the API shows. */
type FunnelFacts =
  | 'funnel_first_move_at'
  | 'funnel_reached'
  | 'funnel_first_mql_at'
  | 'funnel_first_mql_move'
  | 'funnel_first_mql_version'
  | 'funnel_first_mql_grade'
  | 'funnel_first_mql_temperature'
  | 'funnel_entered_at';

export function toContactView(row: Omit<ContactRow, 'search_text' | 'workspace_id' | FunnelFacts>): ContactView {
  return {
    id: row.id,
    email: row.email,
    userId: row.user_id,
    ...contactProfileOf(row),
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
    predictedVersion: row.predicted_version,
    playbookVersion: row.playbook_version,
    scoredAt: row.scored_at?.toISOString() ?? null,
    stageEnteredAt: row.stage_entered_at,
    reMqlCount: row.re_mql_count,
    nurtureUntil: row.nurture_until?.toISOString() ?? null,
    teamId: row.team_id,
    nurtureTrack: row.nurture_track,
    qualification: row.qualification,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Contact columns without the (large) engagement state. */
export const CONTACT_COLUMNS = [
  'id',
  'email',
  'user_id',
  ...CONTACT_PROFILE_COLUMNS,
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
  'predicted_version',
  'playbook_version',
  'scored_at',
  'stage_entered_at',
  're_mql_count',
  'nurture_until',
  'team_id',
  'qualification',
  'nurture_track',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof ContactRow>;
