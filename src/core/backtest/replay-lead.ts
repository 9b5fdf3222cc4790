import type { CompiledPlaybook } from '../playbook/compile-playbook.ts';
import { type ReplayContact, replayFirstMql } from './replay-first-mql.ts';
import type { ReplayedLead } from './tally-backtest.ts';

/** An outcome sales recorded: `won`, `lost` or `opportunity`, and when. */
export interface LeadOutcome {
  kind: string;
  at: number;
}

/** A contact with everything a backtest needs of it. */
export interface LeadHistory extends ReplayContact {
  id: string;
  email: string | null;
  name: string | null;
  outcomes: readonly LeadOutcome[];
  /**
   * When it was first identified; null when unknown (then: since its first event). Live scoring
   * counted a visitor's anonymous events only once it identified, so nothing qualifies it before.
   */
  knownFrom: number | null;
}

/**
 * One contact replayed under the published playbook and the draft over `[from, to)`, each from
 * `lead` at `from`. A contact won before `from` was a customer, not a lead: it is left out (null).
 * A win at or after `from` ends its replay there, since a customer does not qualify again; and
 * its replay starts when it was identified, if that was later than `from`.
 */
export function replayLead(
  playbooks: { published: CompiledPlaybook; draft: CompiledPlaybook; same: boolean },
  lead: LeadHistory,
  period: { from: number; to: number },
): ReplayedLead | null {
  let wonAt: number | null = null;
  for (const outcome of lead.outcomes) {
    if (outcome.kind !== 'won') continue;
    if (outcome.at < period.from) return null;
    if (wonAt === null || outcome.at < wonAt) wonAt = outcome.at;
  }
  const until = {
    from: lead.knownFrom === null ? period.from : Math.max(period.from, lead.knownFrom),
    to: wonAt === null ? period.to : Math.min(period.to, wonAt),
  };
  const published = replayFirstMql(playbooks.published, lead, until);
  // An unchanged draft qualifies the same leads at the same moments: replayed once.
  const draft = playbooks.same ? published : replayFirstMql(playbooks.draft, lead, until);
  return {
    id: lead.id,
    email: lead.email,
    name: lead.name,
    published,
    draft,
    wonAt,
    outcome: wonAt === null ? latest(lead.outcomes) : { kind: 'won', at: wonAt },
  };
}

function latest(outcomes: readonly LeadOutcome[]): LeadOutcome | null {
  let found: LeadOutcome | null = null;
  for (const outcome of outcomes) {
    if (found === null || outcome.at > found.at || (outcome.at === found.at && outcome.kind < found.kind)) {
      found = outcome;
    }
  }
  return found === null ? null : { kind: found.kind, at: found.at };
}
