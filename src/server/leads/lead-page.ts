import { resolveHandoff } from '../../core/handoff/resolve-handoff.ts';
import { allowedTransitions, type TransitionKind } from '../../core/lifecycle/apply-transition.ts';
import { isStage } from '../../core/lifecycle/stages.ts';
import type { CompiledPlaybook } from '../../core/playbook/compile-playbook.ts';
import { fromCenti } from '../../core/scoring/points.ts';
import { listStageHistory } from '../contacts/contact-activity.ts';
import type { ContactView } from '../contacts/contact-view.ts';
import { type ExplanationView, explainContact } from '../contacts/explain-contact.ts';
import { getContact } from '../contacts/list-contacts.ts';
import type { Db } from '../db/open-database.ts';
import { canActOnLead } from '../handoff/can-act-on-lead.ts';
import { type HandoffView, listHandoffs } from '../handoff/list-handoffs.ts';
import type { SalesAction } from '../handoff/perform-sales-action.ts';
import type { KeyIdentity } from '../workspaces/api-keys.ts';

/** The sales action each lifecycle move is offered as (moves the playbook makes itself are not). */
const ACTION_OF: Partial<Record<TransitionKind, SalesAction>> = {
  accept: { kind: 'accept' },
  'qualify-sql': { kind: 'qualify', bant: {} },
  'create-opportunity': { kind: 'create-opportunity' },
  'record-outcome': { kind: 'record-outcome', outcome: 'won' },
  recycle: { kind: 'recycle', reason: '', nurtureUntil: null },
  disqualify: { kind: 'disqualify', reason: '' },
  reopen: { kind: 'reopen' },
};

/** The names the web app and the routes (`POST /api/contacts/:id/<name>`) use for each action. */
const ROUTE_OF: Record<SalesAction['kind'], string> = {
  accept: 'accept',
  touch: 'touch',
  qualify: 'qualify',
  recycle: 'recycle',
  disqualify: 'disqualify',
  reopen: 'reopen',
  reassign: 'reassign',
  'create-opportunity': 'opportunity',
  'record-outcome': 'outcome',
};

/**
 * The actions this caller may take on this lead now: legal from its stage, and allowed for
 * their role and the lead's owner by the same predicate the action routes use.
 */
export function availableActions(
  identity: KeyIdentity,
  lead: { stage: string; owner: string | null },
  handoff: HandoffView | null,
): string[] {
  if (!isStage(lead.stage)) return [];
  const actions: SalesAction[] = allowedTransitions(lead.stage).flatMap((kind) => {
    const action = ACTION_OF[kind];
    return action ? [action] : [];
  });
  if (handoff && handoff.status === 'open' && handoff.firstTouchAt === null) {
    actions.push({ kind: 'touch', channel: 'call' });
  }
  if (lead.owner !== null) actions.push({ kind: 'reassign', owner: lead.owner });
  return actions.filter((action) => canActOnLead(identity, lead, action)).map((action) => ROUTE_OF[action.kind]);
}

export interface LeadPage {
  contact: ContactView;
  company: {
    id: string;
    name: string | null;
    domain: string | null;
    industry: string | null;
    employees: number | null;
    /** The company score (points), null without a company section. */
    score: number | null;
    engagedContacts: number;
  } | null;
  explanation: ExplanationView | null;
  history: Awaited<ReturnType<typeof listStageHistory>>;
  handoff: HandoffView | null;
  actions: string[];
  reasons: { recycle: string[]; disqualify: string[]; lost: string[] };
  requiredBant: string[];
}

/** Everything the lead page shows but the timeline, in one answer; null when there is no such contact. */
export async function loadLeadPage(
  db: Db,
  identity: KeyIdentity,
  contactId: string,
  playbook: CompiledPlaybook | null,
  now: number,
): Promise<LeadPage | null> {
  const workspaceId = identity.workspaceId;
  const contact = await getContact(db, workspaceId, contactId);
  if (!contact) return null;
  const [company, explained, history, handoffs] = await Promise.all([
    contact.companyId
      ? db
          .selectFrom('companies')
          .select(['id', 'name', 'domain', 'industry', 'employees', 'score', 'engaged_contacts'])
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', contact.companyId)
          .executeTakeFirst()
      : undefined,
    playbook ? explainContact(db, workspaceId, contactId, playbook, now) : null,
    listStageHistory(db, workspaceId, contactId),
    listHandoffs(db, workspaceId, { contactId, limit: 20 }),
  ]);
  const handoff = handoffs.find((item) => item.status !== 'closed') ?? handoffs.at(-1) ?? null;
  const policy = playbook ? resolveHandoff(playbook.document) : null;
  return {
    contact,
    company: company
      ? {
          id: company.id,
          name: company.name,
          domain: company.domain,
          industry: company.industry,
          employees: company.employees,
          score: company.score === null ? null : fromCenti(company.score),
          engagedContacts: company.engaged_contacts,
        }
      : null,
    explanation: explained?.view ?? null,
    history,
    handoff,
    actions: availableActions(identity, contact, handoff),
    reasons: {
      recycle: [...(policy?.reasons.recycle ?? [])],
      disqualify: [...(policy?.reasons.disqualify ?? [])],
      lost: [...(policy?.reasons.lost ?? [])],
    },
    requiredBant: [...(policy?.requiredBant ?? [])],
  };
}
