import { sql } from 'kysely';
import { COMPANY_PROFILE_FIELDS, splitCompanyTraits } from '../../core/companies/company-fields.ts';
import { withRetry } from '../db/bulk.ts';
import { startHandoffs } from '../handoff/start-handoffs.ts';
import type { ServiceDeps } from '../http/route-deps.ts';
import { qualifiedBy, rescoreCompanyContacts } from '../scoring/score-contacts.ts';

/** What enrichment set on a company: profile fields by their API names, and custom properties. */
export interface AppliedTraits {
  fields: Record<string, unknown>;
  properties: Record<string, unknown>;
}

function isEmpty(value: unknown): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Fills a company's empty profile fields and absent properties from an endpoint's traits —
 * enrichment never overwrites what a person, an import or a `group` call set, and never
 * changes the domain — marks it `done`, and rescores its contacts in the same transaction,
 * as saving a company does. The company row is locked while its values are compared.
 */
export async function applyEnrichment(
  deps: ServiceDeps,
  workspaceId: string,
  companyId: string,
  traits: Record<string, unknown>,
  now: number,
): Promise<AppliedTraits> {
  const { columns, properties } = splitCompanyTraits(traits);
  const playbook = await deps.playbooks.active(workspaceId);
  const work = () =>
    deps.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('companies')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', companyId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const fill: Record<string, string | number> = {};
      const applied: AppliedTraits = { fields: {}, properties: {} };
      for (const field of COMPANY_PROFILE_FIELDS) {
        const value = columns[field.column];
        if (value === undefined || value === null || !isEmpty(current[field.column])) continue;
        fill[field.column] = value;
        applied.fields[field.name] = value;
      }
      for (const [key, value] of Object.entries(properties))
        if (!Object.hasOwn(current.properties, key)) applied.properties[key] = value;
      await trx
        .updateTable('companies')
        .set({
          ...fill,
          properties: JSON.stringify({ ...applied.properties, ...current.properties }),
          enrichment_status: 'done',
          enrichment_due_at: null,
          enriched_at: new Date(now),
          updated_at: sql<Date>`now()`,
        })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', companyId)
        .execute();
      if (playbook !== null) {
        const outcome = await rescoreCompanyContacts(trx, workspaceId, playbook, now, [companyId]);
        await startHandoffs(trx, workspaceId, playbook, now, qualifiedBy(outcome));
      }
      return applied;
    });
  return withRetry(work);
}
