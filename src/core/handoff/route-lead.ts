import { describeCondition } from '../playbook/describe-condition.ts';
import type { Routing, Team } from '../playbook/routing-schema.ts';
import { assertUnreachable, err, ok, type Result } from '../result.ts';
import { matchesCondition } from '../scoring/match-condition.ts';
import { pickRep, type RepPick, type RotationState } from './pick-rep.ts';

/** What routing looks at: the same subject as fit rules, plus the company's current owner. */
export interface RoutableLead {
  contact: Record<string, unknown>;
  company: Record<string, unknown> | null;
  companyOwner: string | null;
  /** When it is routed: what `age` conditions measure from. */
  now: number;
}

/** Rotation states by team id; a team missing here starts from an empty rotation. */
export type RotationStates = Readonly<Record<string, RotationState>>;

/** Who gets the lead and why. `rotation` is the chosen team's new state, to be stored with the assignment. */
export type RoutingDecision =
  | {
      reason: 'company-owner';
      owner: string;
      teamId: null;
      ruleId: null;
      /** The company owner is assigned directly; no team rotation moves. */
      rotation: null;
      explanation: string;
    }
  | {
      reason: 'rule' | 'default';
      owner: string;
      teamId: string;
      /** The matching rule's id, or `default` when the default team was used. */
      ruleId: string;
      rotation: RotationState;
      explanation: string;
    };

export type RoutingError =
  | { kind: 'no-team'; message: string }
  | { kind: 'unknown-team'; teamId: string; message: string }
  | { kind: 'no-available-rep'; teamId: string; message: string }
  | { kind: 'no-other-rep'; teamId: string; owner: string; message: string };

/** The team a lead goes to, before any rep is picked. */
export interface TeamChoice {
  team: Team;
  reason: 'rule' | 'default';
  ruleId: string;
  /** How the team was chosen, e.g. "matched rule `emea` (contact.country in DE, FR) → team EMEA sales". */
  explanation: string;
}

/** A reassignment to another rep of the same team, e.g. on escalation. */
export interface Reassignment {
  owner: string;
  teamId: string;
  rotation: RotationState;
  explanation: string;
}

function teamName(team: Team): string {
  return team.label ?? team.id;
}

function findTeam(routing: Routing, teamId: string): Team | undefined {
  return routing.teams.find((team) => team.id === teamId);
}

function unknownTeam(routing: Routing, teamId: string, where: string): RoutingError {
  const defined = routing.teams.map((team) => team.id).join(', ');
  return {
    kind: 'unknown-team',
    teamId,
    message: `${where} names team "${teamId}", which is not defined; defined teams: ${defined}`,
  };
}

/**
 * Picks the team: the first rule whose `when` matches the contact and company, else the
 * default team. Exported so the caller can lock that team's rotation row before `routeLead`.
 */
export function chooseTeam(routing: Routing, lead: RoutableLead): Result<TeamChoice, RoutingError> {
  const subject = { contact: lead.contact, company: lead.company };
  const rules = routing.rules ?? [];
  for (const [index, rule] of rules.entries()) {
    if (!matchesCondition(rule.when, subject, lead.now)) continue;
    const team = findTeam(routing, rule.team);
    if (!team) return err(unknownTeam(routing, rule.team, `\`routing.rules[${index}].team\``));
    const matched = `matched rule \`${rule.id}\` (${describeCondition(rule.when)})`;
    return ok({ team, reason: 'rule', ruleId: rule.id, explanation: `${matched} → team ${teamName(team)}` });
  }
  if (routing.defaultTeam === undefined) {
    const tried =
      rules.length === 0 ? 'there are no routing rules' : `none of the ${rules.length} routing rules matched`;
    return err({
      kind: 'no-team',
      message: `${tried} and \`routing.defaultTeam\` is not set; set a default team or add a rule that matches this lead`,
    });
  }
  const team = findTeam(routing, routing.defaultTeam);
  if (!team) return err(unknownTeam(routing, routing.defaultTeam, '`routing.defaultTeam`'));
  const why = rules.length === 0 ? 'no routing rules' : 'no rule matched';
  return ok({ team, reason: 'default', ruleId: 'default', explanation: `${why} → default team ${teamName(team)}` });
}

function describeStrategy(team: Team): string {
  const strategy = team.strategy ?? 'round-robin';
  switch (strategy) {
    case 'round-robin':
      return 'round robin';
    case 'weighted':
      return 'weighted round robin';
    default:
      return assertUnreachable(strategy);
  }
}

function describePick(team: Team, pick: RepPick): string {
  const strategy = describeStrategy(team);
  const skipped = pick.skipped.length === 0 ? '' : ` (unavailable: ${pick.skipped.join(', ')})`;
  return `${strategy}${skipped} → ${pick.owner}`;
}

function noAvailableRep(team: Team): RoutingError {
  const escalate = team.manager === undefined ? '' : `, or escalate to the team manager ${team.manager}`;
  return {
    kind: 'no-available-rep',
    teamId: team.id,
    message:
      `every rep of team ${teamName(team)} is unavailable (${team.reps.map((rep) => rep.id).join(', ')}); ` +
      `mark a rep available or add reps to team "${team.id}"${escalate}`,
  };
}

/**
 * Decides who gets a qualified lead. With `companyOwnerFirst`, an available company owner
 * gets it directly; otherwise the team from `chooseTeam` rotates to its next available rep.
 */
export function routeLead(
  routing: Routing,
  lead: RoutableLead,
  rotation: RotationStates,
  unavailable: ReadonlySet<string>,
): Result<RoutingDecision, RoutingError> {
  let ownerNote = '';
  if (routing.companyOwnerFirst && lead.companyOwner !== null) {
    const owner = lead.companyOwner;
    if (!unavailable.has(owner)) {
      const explanation = `company already owned by ${owner}, who is available → ${owner}`;
      return ok({ reason: 'company-owner', owner, teamId: null, ruleId: null, rotation: null, explanation });
    }
    ownerNote = `company owner ${owner} is unavailable; `;
  }
  const choice = chooseTeam(routing, lead);
  if (!choice.ok) return choice;
  const { team, reason, ruleId } = choice.value;
  const state = Object.hasOwn(rotation, team.id) ? rotation[team.id] : undefined;
  const pick = pickRep(team, state, unavailable);
  if (pick === null) return err(noAvailableRep(team));
  return ok({
    reason,
    owner: pick.owner,
    teamId: team.id,
    ruleId,
    rotation: pick.rotation,
    explanation: `${ownerNote}${choice.value.explanation}, ${describePick(team, pick)}`,
  });
}

/**
 * Reassigns a lead to the next rep of the team by the same rotation, never to `currentOwner`.
 * Fails with `no-other-rep` when the current owner is the only available rep.
 */
export function nextRepAfter(
  routing: Routing,
  teamId: string,
  currentOwner: string,
  rotation: RotationState | undefined,
  unavailable: ReadonlySet<string>,
): Result<Reassignment, RoutingError> {
  const team = findTeam(routing, teamId);
  if (!team) {
    const defined = routing.teams.map((candidate) => candidate.id).join(', ');
    return err({
      kind: 'unknown-team',
      teamId,
      message: `the lead's team "${teamId}" is no longer in \`routing.teams\` (defined teams: ${defined}); route the lead again instead`,
    });
  }
  // The current owner sits out like an unavailable rep: their current weight stays as it is.
  const pick = pickRep(team, rotation, new Set([...unavailable, currentOwner]));
  if (pick === null) {
    const isOnlyAvailable = team.reps.some((rep) => rep.id === currentOwner) && !unavailable.has(currentOwner);
    if (!isOnlyAvailable) return err(noAvailableRep(team));
    const escalate = team.manager === undefined ? '' : `, or escalate to the team manager ${team.manager}`;
    return err({
      kind: 'no-other-rep',
      teamId: team.id,
      owner: currentOwner,
      message:
        `${currentOwner} is the only available rep of team ${teamName(team)}; ` +
        `mark another rep available or add reps to team "${team.id}"${escalate}`,
    });
  }
  const skipped = pick.skipped.filter((id) => id !== currentOwner);
  return ok({
    owner: pick.owner,
    teamId: team.id,
    rotation: pick.rotation,
    explanation: `reassigned from ${currentOwner} within team ${teamName(team)}, ${describePick(team, { ...pick, skipped })}`,
  });
}
