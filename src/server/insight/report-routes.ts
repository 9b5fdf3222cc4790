import { type TSchema, Type } from '@sinclair/typebox';
import { parseReportQuery, type ReportQueryFailure } from '../../core/insight/report-query.ts';
import {
  FunnelReportSchema,
  GradeTemperatureReportSchema,
  REPORT_NAMES,
  REPORT_SPLITS,
  RecycleReportSchema,
  ReportCatalogSchema,
  ReportLeadsPageSchema,
  type ReportName,
  RevenueReportSchema,
  SlaReportSchema,
  SPLITS,
  TimeInStageReportSchema,
} from '../../core/insight/report-types.ts';
import { ErrorBody, failureToApiError } from '../http/api-error.ts';
import { canWorkLeads, requireKey, workspaceOf } from '../http/auth.ts';
import type { App } from '../http/fastify-types.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { listReportLeads, runReport } from './run-report.ts';

/** Every way a report request can be refused is the client's to fix. */
const STATUS: Record<ReportQueryFailure['kind'] | 'invalid-cell', number> = {
  'unknown-report': 400,
  'unknown-split': 400,
  'split-not-offered': 400,
  'invalid-date': 400,
  'empty-period': 400,
  'period-too-long': 400,
  'invalid-cell': 400,
};

const ReportQuery = Type.Object({
  from: Type.Optional(
    Type.String({
      description:
        'start, included: a date (2026-01-01, midnight UTC) or an ISO instant; default 12 months before `to`',
    }),
  ),
  to: Type.Optional(Type.String({ description: 'end, excluded: a date or an ISO instant; default now' })),
  by: Type.Optional(Type.String({ description: `split (funnel, revenue): ${SPLITS.join(', ')}` })),
});

const LeadsQuery = Type.Object({
  ...ReportQuery.properties,
  cell: Type.String({ description: 'the `cell` of a figure of the report, run with the same from, to and by' }),
  cursor: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});

const SCHEMAS: Record<ReportName, { schema: TSchema; summary: string }> = {
  funnel: {
    schema: FunnelReportSchema,
    summary: 'Funnel: leads that entered in the period reaching each stage, by month of entry and split',
  },
  'time-in-stage': { schema: TimeInStageReportSchema, summary: 'Time in stage: median and p90 per stage' },
  sla: { schema: SlaReportSchema, summary: 'SLA: hand-offs touched in time, breaches and time to first touch' },
  recycle: { schema: RecycleReportSchema, summary: 'Recycling: leads recycled, re-qualified and how soon, by reason' },
  'grade-temperature': {
    schema: GradeTemperatureReportSchema,
    summary: 'Grade × temperature: leads per cell and their conversion to SQL and to won',
  },
  revenue: { schema: RevenueReportSchema, summary: 'Won revenue by first-touch source (or `by`), per currency' },
};

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

/** Funnel analytics (docs/insight.md): each report, and the leads behind each of its figures. */
export function registerReportRoutes(app: App, deps: RouteDeps): void {
  const authenticate = requireKey(deps.resolveKey, canWorkLeads);
  const tags = ['reports'];
  const parse = (name: string, query: { from?: string; to?: string; by?: string }) => {
    const parsed = parseReportQuery(name, query, deps.clock());
    if (!parsed.ok) throw failureToApiError(STATUS, parsed.error);
    return parsed.value;
  };

  app.get(
    '/api/reports',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'The reports and the splits each takes',
        response: { 200: ReportCatalogSchema, ...errors },
      },
    },
    async () => ({
      reports: REPORT_NAMES.map((name) => ({
        name,
        splits: [...REPORT_SPLITS[name].splits],
        defaultBy: REPORT_SPLITS[name].defaultSplit,
      })),
    }),
  );

  for (const name of REPORT_NAMES) {
    app.get(
      `/api/reports/${name}`,
      {
        preValidation: authenticate,
        schema: {
          tags,
          summary: SCHEMAS[name].summary,
          querystring: ReportQuery,
          response: { 200: SCHEMAS[name].schema, ...errors },
        },
      },
      async (request) => {
        const { report, params } = parse(name, request.query);
        return runReport(deps.db, workspaceOf(request), report, params);
      },
    );
  }

  // Any other name: a 400 that lists the reports there are.
  app.get(
    '/api/reports/:name',
    {
      preValidation: authenticate,
      schema: { hide: true, params: Type.Object({ name: Type.String() }), querystring: ReportQuery, response: errors },
    },
    async (request) => {
      parse(request.params.name, request.query);
      throw new Error(`report ${request.params.name} has no route`);
    },
  );

  app.get(
    '/api/reports/:name/leads',
    {
      preValidation: authenticate,
      schema: {
        tags,
        summary: 'The leads behind one figure of a report (its `cell`), highest score first, by pages',
        params: Type.Object({ name: Type.String({ description: REPORT_NAMES.join(', ') }) }),
        querystring: LeadsQuery,
        response: { 200: ReportLeadsPageSchema, ...errors },
      },
    },
    async (request) => {
      const { report, params } = parse(request.params.name, request.query);
      const { cell, cursor, limit } = request.query;
      const page = await listReportLeads(deps.db, workspaceOf(request), report, params, { cell, cursor, limit });
      if (!page.ok) throw failureToApiError(STATUS, page.error);
      return page.value;
    },
  );
}
