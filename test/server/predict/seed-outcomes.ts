import { createRandom } from '../../../src/demo/seeded-random.ts';
import type { Db } from '../../../src/server/db/open-database.ts';
import { DAY, HOUR } from '../../helpers/time.ts';

/** When the seeded history starts; every lead is created on a day after it. */
export const HISTORY_START = Date.UTC(2026, 0, 5, 9, 0, 0);

const SOURCES = [
  { utm: 'google', medium: 'cpc', lift: 0 },
  { utm: 'linkedin', medium: 'paid-social', lift: -1.2 },
  { utm: 'partner-hub', medium: 'referral', lift: 0.9 },
];
const SENIORITY = [
  { name: 'c-level', lift: 1.3 },
  { name: 'manager', lift: 0.4 },
  { name: 'staff', lift: -0.6 },
];

export interface SeededLead {
  contactId: string;
  mqlAt: number | null;
  won: boolean | null;
}

/**
 * Leads with a known truth, written straight into the tables: each has a company, a first
 * visit tagged with its source, some pricing-page views before it reached `mql`, and (for
 * `decided` of them) an outcome 20 days later whose chance rises with seniority, pricing
 * views and a partner source and falls with paid social. The rest are open leads.
 */
export async function seedOutcomes(
  db: Db,
  workspaceId: string,
  counts: { decided: number; open: number },
  seed = 5,
): Promise<SeededLead[]> {
  const random = createRandom(seed);
  const leads: SeededLead[] = [];
  const total = counts.decided + counts.open;
  for (let index = 0; index < total; index += 1) {
    const decided = index < counts.decided;
    const created = HISTORY_START + index * 7 * HOUR;
    const source = SOURCES[index % SOURCES.length]!;
    const seniority = SENIORITY[random.int(0, 2)]!;
    const pricingViews = random.int(0, 3);
    const logit = -0.9 + seniority.lift + 0.5 * pricingViews + source.lift;
    const won = decided ? random.next() < 1 / (1 + Math.exp(-logit)) : null;
    const company = await db
      .insertInto('companies')
      .values({
        workspace_id: workspaceId,
        name: `Seeded ${index}`,
        industry: index % 2 === 0 ? 'software' : 'retail',
        employees: Math.round(random.logNormal(150, 1)),
        properties: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const mqlAt = decided || index % 2 === 0 ? created + 5 * DAY : null;
    const contact = await db
      .insertInto('contacts')
      .values({
        workspace_id: workspaceId,
        email: `lead${index}@seeded.example`,
        seniority: seniority.name,
        company_id: company.id,
        owner: mqlAt === null ? null : index % 3 === 0 ? 'ana@example.com' : 'bo@example.com',
        stage: mqlAt === null ? 'lead' : won === null ? 'mql' : won ? 'customer' : 'recycled',
        properties: '{}',
        stage_entered_at: '{}',
        created_at: new Date(created),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const page = (at: number, path: string, name: string, tagged: boolean) => ({
      workspace_id: workspaceId,
      message_id: `seed-${index}-${at}-${path}`,
      type: 'page',
      name,
      contact_id: contact.id,
      properties: JSON.stringify({
        url: `https://www.example.com${path}${tagged ? `?utm_source=${source.utm}&utm_medium=${source.medium}` : ''}`,
        path,
        ...(tagged ? { utm_source: source.utm, utm_medium: source.medium } : {}),
      }),
      context: '{}',
      occurred_at: new Date(at),
      received_at: new Date(at),
    });
    await db
      .insertInto('events')
      .values([
        page(created, '/', 'Home', true),
        ...Array.from({ length: pricingViews }, (_, view) =>
          page(created + (view + 1) * DAY, '/pricing', 'Pricing', false),
        ),
      ])
      .execute();
    if (mqlAt !== null)
      await db
        .insertInto('stage_history')
        .values({
          workspace_id: workspaceId,
          contact_id: contact.id,
          from_stage: 'lead',
          to_stage: 'mql',
          at: new Date(mqlAt),
          actor: 'seed',
          transition: 'qualify-mql',
        })
        .execute();
    if (won !== null) {
      await db
        .insertInto('outcomes')
        .values({
          workspace_id: workspaceId,
          contact_id: contact.id,
          kind: won ? 'won' : 'lost',
          amount: won ? 12_000 : null,
          at: new Date((mqlAt ?? created) + 20 * DAY),
          actor: 'seed',
        })
        .execute();
    }
    leads.push({ contactId: contact.id, mqlAt, won });
  }
  return leads;
}
