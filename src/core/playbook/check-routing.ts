import type { Routing } from './routing-schema.ts';

/**
 * Checks the `routing:` section for what its schema cannot express. Each message names
 * the field path and says what to change. Conditions in `when` are not checked here: run
 * them through the playbook's condition checks (regexes, range bounds).
 */
export function checkRouting(routing: Routing): string[] {
  const issues: string[] = [];
  const teamIds = routing.teams.map((team) => team.id);
  const defined = teamIds.length === 0 ? '(none)' : teamIds.join(', ');

  if (routing.teams.length === 0)
    issues.push('`routing.teams` is empty; define at least one team with at least one rep');
  checkUnique(
    teamIds.map((id, t) => ({ id, path: `routing.teams[${t}].id` })),
    (id) => `team ids must be unique; rename one of the teams "${id}"`,
    issues,
  );

  routing.teams.forEach((team, t) => {
    const path = `routing.teams[${t}]`;
    if (team.reps.length === 0) issues.push(`\`${path}.reps\` is empty; team "${team.id}" needs at least one rep`);
    checkUnique(
      team.reps.map((rep, r) => ({ id: rep.id, path: `${path}.reps[${r}].id` })),
      (id) => `list ${id} once in team "${team.id}" and give a bigger share with \`weight\` and \`strategy: weighted\``,
      issues,
    );
    team.reps.forEach((rep, r) => {
      if (rep.weight === undefined) return;
      const field = `\`${path}.reps[${r}].weight\``;
      if (!Number.isInteger(rep.weight) || rep.weight < 1) {
        issues.push(`${field} must be a whole number of at least 1, got ${rep.weight}`);
      } else if ((team.strategy ?? 'round-robin') !== 'weighted') {
        issues.push(
          `${field} is ignored because team "${team.id}" uses round-robin; set \`strategy: weighted\` or remove the weight`,
        );
      }
    });
  });

  const rules = routing.rules ?? [];
  checkUnique(
    rules.map((rule, r) => ({ id: rule.id, path: `routing.rules[${r}].id` })),
    (id) => `rule ids must be unique because routing history refers to them; rename one of the rules "${id}"`,
    issues,
  );
  rules.forEach((rule, r) => {
    if (rule.id === 'default') {
      issues.push(
        `\`routing.rules[${r}].id\` "default" is reserved for leads sent to the default team; rename the rule`,
      );
    }
    if (!teamIds.includes(rule.team)) {
      issues.push(
        `\`routing.rules[${r}].team\` names team "${rule.team}", which is not defined; defined teams: ${defined}`,
      );
    }
  });

  if (routing.defaultTeam !== undefined && !teamIds.includes(routing.defaultTeam)) {
    issues.push(
      `\`routing.defaultTeam\` names team "${routing.defaultTeam}", which is not defined; defined teams: ${defined}`,
    );
  }
  if (rules.length === 0 && routing.defaultTeam === undefined && routing.teams.length > 0) {
    issues.push('`routing` has no `rules` and no `defaultTeam`, so no lead can be routed to a team; set `defaultTeam`');
  }
  return issues;
}

function checkUnique(
  entries: Array<{ id: string; path: string }>,
  advice: (id: string) => string,
  issues: string[],
): void {
  const seen = new Map<string, string>();
  for (const { id, path } of entries) {
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, path);
      continue;
    }
    issues.push(`\`${path}\` "${id}" is already used at \`${first}\`; ${advice(id)}`);
  }
}
