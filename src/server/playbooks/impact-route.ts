import { type TSchema, Type } from '@sinclair/typebox';
import { ErrorBody, failureToApiError } from '../http/api-error.ts';
import { canPublishPlaybook, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { Nullable } from '../http/schema-helpers.ts';
import { type ImpactFailure, previewDraftImpact } from './preview-impact.ts';

const STATUS: Record<ImpactFailure['kind'], number> = { 'invalid-playbook': 400, 'no-playbook': 404 };

const Figures = Type.Object({
  score: Type.Number(),
  fit: Type.Number(),
  engagement: Type.Number(),
  grade: Type.String(),
  temperature: Type.String(),
  stage: Type.String(),
});

const Example = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Nullable(Type.String()),
  email: Nullable(Type.String()),
  before: Figures,
  after: Figures,
});

const Transitions = Type.Array(Type.Object({ from: Type.String(), to: Type.String(), count: Type.Integer() }), {
  description: 'from → to with how many leads, largest first',
});

/** One figure per kind of change: grade, temperature, stage, and MQLs that would no longer qualify. */
const perKind = <T extends TSchema>(schema: T) =>
  Type.Object({ grade: schema, temperature: schema, stage: schema, unqualified: schema });

const ImpactSchema = Type.Object({
  version: Type.Integer({ description: 'the published version the draft is compared with' }),
  contacts: Type.Integer({ description: 'leads scored under both' }),
  scoreChanged: Type.Integer(),
  changed: perKind(Type.Integer()),
  transitions: Type.Object({ grade: Transitions, temperature: Transitions, stage: Transitions }),
  examples: perKind(Type.Array(Example, { description: 'the leads whose score moves most' })),
  at: Type.String({ format: 'date-time' }),
  tookMs: Type.Integer(),
});

export function registerImpactRoute(app: App, deps: RouteDeps): void {
  app.post(
    '/api/playbook/impact',
    {
      preValidation: requireKey(deps.resolveKey, canPublishPlaybook),
      schema: {
        tags: ['playbook'],
        summary:
          'What publishing a draft would change: every lead scored under the draft and the published playbook, nothing written',
        body: Type.Object({
          source: Type.String({ minLength: 1, maxLength: 1_000_000, description: 'the draft as YAML' }),
        }),
        response: { 200: ImpactSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const result = await previewDraftImpact(deps, workspaceOf(request), request.body.source);
      if (!result.ok) throw failureToApiError(STATUS, result.error);
      return result.value;
    },
  );
}
