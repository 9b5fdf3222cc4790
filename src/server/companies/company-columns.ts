import { sql } from 'kysely';
import {
  COMPANY_PROFILE_FIELDS,
  type CompanyFieldType,
  type CompanyProfileColumn,
} from '../../core/companies/company-fields.ts';

const SQL_TYPE: Record<CompanyFieldType, string> = { text: 'text', integer: 'integer', decimal: 'double precision' };

const columns: readonly CompanyProfileColumn[] = COMPANY_PROFILE_FIELDS.map((field) => field.column);
const list = (each: (column: CompanyProfileColumn) => string) => sql.raw(columns.map(each).join(', '));

/**
 * The company profile columns as the bulk statements spell them, from the field table (constant
 * SQL, never input): `v` is the `jsonb_to_recordset` row, `c` the stored company, `excluded`
 * the row an upsert proposed.
 */
export const COMPANY_PROFILE_SQL = {
  /** `name, industry, …` */
  columns: list((column) => column),
  /** `v.name, v.industry, …` */
  values: list((column) => `v.${column}`),
  /** `name text, employees integer, …` for the recordset's column definitions. */
  types: sql.raw(COMPANY_PROFILE_FIELDS.map((field) => `${field.column} ${SQL_TYPE[field.type]}`).join(', ')),
  /** A value sent replaces the stored one; one sent as null (listed in `v.cleared`) empties it. */
  updatesClearing: list(
    (column) => `${column} = case when v.cleared ? '${column}' then null else coalesce(v.${column}, c.${column}) end`,
  ),
  /** An upsert keeps a stored value the row left empty. */
  upsertUpdates: list((column) => `${column} = coalesce(excluded.${column}, c.${column})`),
  /** `c.name, c.industry, …` and the values an upsert would leave, to compare them. */
  stored: list((column) => `c.${column}`),
  upserted: list((column) => `coalesce(excluded.${column}, c.${column})`),
};
