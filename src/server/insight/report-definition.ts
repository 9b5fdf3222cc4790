import type { RawBuilder } from 'kysely';
import type { CellFailure } from '../../core/insight/cell-key.ts';
import type { ReportParams } from '../../core/insight/report-query.ts';
import type { Result } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import type { ContactRange } from './lead-facts.ts';

/** A report: how to run it, and which leads stand behind each of its figures. */
export interface ReportDefinition<R> {
  run(db: Db, workspaceId: string, params: ReportParams): Promise<R>;
  /**
   * The ids of the leads behind the figure a cell key names, as a subquery selecting
   * `contact_id` (a lead may appear more than once), or why the cell is not one of this report's.
   */
  cellLeads(
    workspaceId: string,
    params: ReportParams,
    cell: string,
    range?: ContactRange,
  ): Result<RawBuilder<unknown>, CellFailure>;
  /**
   * True when `cellLeads` honours `range` (only the leads of that slice of the contacts): the
   * leads behind a figure are then listed slice by slice at the same time (lead-facts.ts).
   */
  sliced?: true;
}

/** The period's bounds as the database takes them. */
export function periodOf(params: ReportParams): { from: Date; to: Date } {
  return { from: new Date(params.from), to: new Date(params.to) };
}
