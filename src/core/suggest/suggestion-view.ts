import { type Static, type TSchema, Type } from '@sinclair/typebox';

/**
 * The suggested playbook as the API answers it, the CLI prints it and the web app shows it:
 * a JSON Schema with its TypeScript type derived from it.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const SuggestedRuleSchema = Type.Object({
  side: Type.Union([Type.Literal('fit'), Type.Literal('engagement')]),
  group: Type.String(),
  rule: Type.String(),
  label: Type.String(),
  published: Type.Number(),
  suggested: Type.Number({ description: 'equal to `published` unless status is `fitted`' }),
  status: Type.Union(
    [Type.Literal('fitted'), Type.Literal('never-matched'), Type.Literal('too-few-leads'), Type.Literal('every-lead')],
    { description: 'fitted, or why the published points were kept' },
  ),
  leads: Type.Integer({ description: 'outcomes whose score the rule gave points to at hand-off' }),
  wonShare: Nullable(Type.Number({ description: 'share of those leads that were won' })),
  oddsRatio: Nullable(Type.Number({ description: 'odds of a win per match (per fresh event), other rules equal' })),
});
export type SuggestedRuleView = Static<typeof SuggestedRuleSchema>;

export const PlaybookSuggestionSchema = Type.Object({
  basedOn: Type.Object({ version: Type.Integer(), name: Type.String() }),
  outcomes: Type.Integer({ description: 'won and lost leads learned from' }),
  won: Type.Integer(),
  auc: Type.Object({
    published: Type.Number({ description: 'how well the published points rank the outcomes (0.5 chance, 1 perfect)' }),
    suggested: Type.Number({ description: 'the same for the fitted model, cross-validated (5 folds)' }),
  }),
  pointsToDoubleOdds: Type.Number({
    description: 'points of the published score that double the odds of a win: the rate evidence becomes points at',
  }),
  changed: Type.Integer({ description: 'rules whose points change' }),
  rules: Type.Array(SuggestedRuleSchema),
  draft: Type.String({ description: 'the published YAML with the suggested points: backtest it, then publish' }),
});
export type PlaybookSuggestion = Static<typeof PlaybookSuggestionSchema>;
