import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { PlaybookStore } from '../core/playbook/playbook-store.ts';
import type { EngagementEvent } from '../core/scoring/engagement-state.ts';
import { registerAuditRoutes } from './audit/audit-routes.ts';
import { registerBacktestRoutes } from './backtest/backtest-routes.ts';
import { createBacktestRuns } from './backtest/backtest-runs.ts';
import { registerCompanyRoutes } from './companies/company-routes.ts';
import { registerContactRoutes } from './contacts/contact-routes.ts';
import { registerMergeRoutes } from './contacts/merge-routes.ts';
import { createAutoAnalyze } from './db/auto-analyze.ts';
import type { Db } from './db/open-database.ts';
import { createOutageMonitor, type OutageMonitor } from './db/outage-monitor.ts';
import { vacuumWhereNeeded } from './db/vacuum-where-needed.ts';
import { registerEmailEventRoutes } from './email-events/email-event-routes.ts';
import { registerEmailSourceRoutes } from './email-events/email-source-routes.ts';
import { createCertificateCache, type FetchText, fetchText } from './email-events/verify-sns-message.ts';
import { enrichDueCompanies } from './enrichment/enrich-companies.ts';
import { registerEnrichmentRoutes } from './enrichment/enrichment-routes.ts';
import { createIngestBatcher } from './events/ingest-batcher.ts';
import { registerIngestRoutes } from './events/ingest-routes.ts';
import { createHandoffJobHandlers } from './handoff/handoff-job-handlers.ts';
import { registerHandoffRoutes } from './handoff/handoff-routes.ts';
import { createErrorHandler } from './http/error-handler.ts';
import type { App } from './http/fastify-types.ts';
import { refuseUnstorableInput } from './http/refuse-unstorable-input.ts';
import { registerReportRoutes } from './insight/report-routes.ts';
import { createCleanupJobsHandler } from './jobs/cleanup-jobs.ts';
import { describeJobError } from './jobs/fail-job.ts';
import { registerJobRoutes } from './jobs/job-routes.ts';
import { createJobRunner, type JobHandler, type JobRunner } from './jobs/job-runner.ts';
import {
  COMPANY_ENRICHMENT,
  EVENT_RETENTION,
  JOBS_CLEANUP,
  PREDICTIVE_TRAINING,
  scheduleWithHandlers,
  TEMPERATURE_REFRESH,
} from './jobs/recurring-schedule.ts';
import { createWorkLoop, type WorkLoop } from './jobs/work-loop.ts';
import { registerLeadRoutes } from './leads/lead-routes.ts';
import { createChangeFeed } from './live/change-feed.ts';
import { registerLiveRoutes } from './live/live-routes.ts';
import { registerPlaybookRoutes } from './playbooks/playbook-routes.ts';
import { createPlaybookStore } from './playbooks/playbook-store.ts';
import { retrainAndPredict } from './predict/predictive-models.ts';
import { registerPredictiveRoutes } from './predict/predictive-routes.ts';
import { registerPrivacyRoutes } from './privacy/privacy-routes.ts';
import { applyRetention } from './privacy/privacy-store.ts';
import { createFreshEvents } from './scoring/fresh-events.ts';
import { refreshTemperatures } from './scoring/refresh-temperatures.ts';
import { createScoringWorker, type ScoringWorker } from './scoring/scoring-worker.ts';
import { defaultSnippetRoot } from './snippet/read-snippet-build.ts';
import { registerSnippetRoutes } from './snippet/snippet-routes.ts';
import { registerSuggestionRoutes } from './suggest/suggest-routes.ts';
import { registerSessionRoutes } from './users/session-routes.ts';
import { resolveSessionIdentity } from './users/sessions.ts';
import { registerUserRoutes } from './users/user-routes.ts';
import { defaultWebRoot, serveWebApp } from './web/serve-web-app.ts';
import { registerWebhookRoutes } from './webhooks/webhook-routes.ts';
import { createWebhookWorker, type WebhookWorker } from './webhooks/webhook-worker.ts';
import { createKeyResolver, type KeyResolver } from './workspaces/api-keys.ts';
import { registerKeyRoutes } from './workspaces/key-routes.ts';

export interface AppDeps {
  db: Db;
  /** PGlite needs statistics and vacuuming kept up by us (it runs no autovacuum). */
  dbKind: 'pglite' | 'postgres';
  /** Waiting messages per workspace before ingestion answers 429 (default 20,000). */
  maxPendingMessages?: number;
  logger?: FastifyBaseLogger | boolean;
  clock?: () => number;
  /** RIPEN_WEBHOOK_ALLOW: private targets webhooks may reach anyway (default none). */
  webhookAllowList?: string[];
  /** Background job handlers by kind (docs/jobs.md); `jobs-cleanup` is built in. */
  jobHandlers?: Readonly<Record<string, JobHandler>>;
  /** The built web app (default: dist/web under the package root). */
  webRoot?: string;
  /** The built browser snippet (default: dist/snippet under the package root). */
  snippetRoot?: string;
  /** How SNS signing certificates and subscription links are fetched (default: HTTPS GET). */
  fetchText?: FetchText;
}

export interface BuiltApp {
  app: App;
  playbooks: PlaybookStore;
  resolveKey: KeyResolver;
  /** Scores what ingestion queued; kicked after every ingest commit. `serve` also starts its poll. */
  scoring: ScoringWorker;
  /** Sends the webhook outbox; kicked by replays and tests. Not polling until `serve` calls `webhooks.start()`. */
  webhooks: WebhookWorker;
  /** Runs the `jobs` queue and the recurring sweeps. Not polling until `serve` calls `jobs.start()`. */
  jobs: JobRunner;
  /**
   * PGlite only (nothing to do on PostgreSQL, whose autovacuum does it): vacuums tables that
   * collected dead rows from writes outside ingestion (rescoring, hand-offs, jobs). Not
   * polling until `serve` calls `maintenance.start()`.
   */
  maintenance: WorkLoop;
  /** Notices the database going away and coming back, and logs each once. */
  outage: OutageMonitor;
}

/** Builds the HTTP app without listening (tests inject requests; main.ts listens). */
export async function buildApp(deps: AppDeps): Promise<BuiltApp> {
  const clock = deps.clock ?? Date.now;
  const logging = typeof deps.logger === 'object' ? { loggerInstance: deps.logger } : { logger: deps.logger ?? false };
  const app: App = Fastify({
    ...logging,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorateRequest('identity', null);
  // An empty body labelled JSON is read as no body (clients send the header with every POST);
  // routes whose body is required say so in their own words.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') done(null, undefined);
    else parseJson(request, String(body), done);
  });
  const outage = createOutageMonitor({ db: deps.db, log: app.log, clock });
  app.addHook('onClose', async () => outage.stop());
  app.setErrorHandler(createErrorHandler(outage.report));
  app.addHook('preHandler', refuseUnstorableInput);
  /** Background failures: an unreachable database is logged once per outage, anything else each time. */
  const logUnlessOutage = (message: string) => (error: unknown) => {
    if (!outage.report(error)) app.log.error({ err: error }, message);
  };
  let webPage: Awaited<ReturnType<typeof serveWebApp>> = () => false;
  app.setNotFoundHandler((request, reply) => {
    if (webPage(request, reply)) return;
    void reply.status(404).send({
      error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}; see /docs` },
    });
  });
  // nosniff, no framing, no referrer, HSTS and a same-origin content policy on every response:
  // scripts only from our own files (no inline script, no eval), never inside a frame.
  await app.register(helmet, {
    global: true,
    // A fresh nonce per response: the web app's index.html hands the style nonce to the
    // editor (CodeMirror injects its styles), so no 'unsafe-inline' is needed anywhere.
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Off: it would send a plain-HTTP install's own scripts to https:// (TLS is the proxy's job).
        upgradeInsecureRequests: null,
      },
    },
    frameguard: { action: 'deny' },
  });
  webPage = await serveWebApp(app, deps.webRoot ?? defaultWebRoot());
  // API answers hold personal data: no cache (browser or proxy) may keep them.
  app.addHook('onSend', async (request, reply) => {
    const url = request.url;
    if (url.startsWith('/api/') || url.startsWith('/v1/')) void reply.header('cache-control', 'no-store');
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Ripen API',
        version: '0.1.0',
        description: 'Lead qualification engine: ingestion, contacts, scores, playbooks.',
      },
      components: {
        securitySchemes: {
          secretKey: { type: 'http', scheme: 'bearer' },
          writeKey: { type: 'http', scheme: 'basic' },
          emailSourceToken: {
            type: 'http',
            scheme: 'basic',
            description: 'the token of PUT /api/email-sources/{provider} as the basic-auth password',
          },
        },
      },
    },
  });
  // Swagger UI sets one inline style; its pages alone may (the web app's may not).
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    transformStaticCSP: (header) =>
      header.replace(/ 'nonce-[^']+'/g, '').replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  });
  // Session cookies for people signed in to the web app (unsigned: the id is 32 random bytes).
  await app.register(cookie);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/health', { schema: { hide: true } }, async () => ({ ok: true }));

  const playbooks = createPlaybookStore(deps.db);
  // Keys, and the web app's sessions: the same permission predicates judge both.
  const resolveKey: KeyResolver = Object.assign(createKeyResolver(deps.db), {
    session: (sessionId: string) => resolveSessionIdentity(deps.db, sessionId, clock()),
  });
  const shared = { db: deps.db, playbooks, clock, resolveKey };
  // Backtests of drafts replay in the background of this process; closing the app cancels them.
  const backtestRuns = createBacktestRuns({ ...shared, log: app.log });
  app.addHook('onClose', () => backtestRuns.close());
  const analyze = createAutoAnalyze(deps.db, deps.dbKind);
  const webhookAllowList = deps.webhookAllowList ?? [];
  const webhooks = createWebhookWorker({
    db: deps.db,
    clock,
    allowList: webhookAllowList,
    onError: logUnlessOutage('delivering webhooks failed; retrying on the next poll'),
  });
  app.addHook('onClose', () => webhooks.stop());
  // Everything that changes a lead or a hand-off puts something in the outbox and kicks the
  // webhook worker; the same kick tells open pages (the inbox) to refetch.
  const changes = createChangeFeed();
  const announce: WebhookWorker = {
    ...webhooks,
    kick: () => {
      webhooks.kick();
      changes.publish();
    },
  };
  const fresh = createFreshEvents();
  const scoring = createScoringWorker({
    db: deps.db,
    playbooks,
    clock,
    fresh,
    onBatch: (result) => {
      if (result.transitions.length > 0) announce.kick();
    },
    onError: logUnlessOutage('scoring queued contacts failed; retrying on the next poll'),
  });
  app.addHook('onClose', () => scoring.stop());
  const jobHandlers: Record<string, JobHandler> = {
    [JOBS_CLEANUP]: createCleanupJobsHandler(deps.db),
    ...createHandoffJobHandlers({ db: deps.db, playbooks, webhooks: announce }),
    [EVENT_RETENTION]: async (job, now) => {
      await applyRetention(deps.db, job.workspaceId, now);
    },
    [PREDICTIVE_TRAINING]: async (job, now) => {
      const run = await retrainAndPredict({ db: deps.db, playbooks, clock }, job.workspaceId, now);
      if (run.written) scoring.kick();
    },
    [COMPANY_ENRICHMENT]: async (job, now) => {
      await enrichDueCompanies({ db: deps.db, playbooks, clock, allowList: webhookAllowList }, job.workspaceId, now);
    },
    [TEMPERATURE_REFRESH]: async (job, now) => {
      await refreshTemperatures({ db: deps.db, playbooks }, job.workspaceId, now);
      webhooks.kick();
    },
    ...deps.jobHandlers,
  };
  const jobs = createJobRunner({
    db: deps.db,
    clock,
    handlers: jobHandlers,
    schedule: scheduleWithHandlers(jobHandlers),
    onError: logUnlessOutage('working the job queue failed; retrying on the next poll'),
    onJobFailed: ({ job, outcome }, error) =>
      app.log.warn(
        { job: { id: job.id, kind: job.kind, attempts: job.attempts }, outcome, error: describeJobError(error) },
        'background job failed',
      ),
  });
  app.addHook('onClose', () => jobs.stop());
  const maintenance = createWorkLoop({
    pass: async () => {
      if (deps.dbKind === 'pglite') await vacuumWhereNeeded(deps.db);
      return false;
    },
    onError: (error) =>
      app.log.warn({ err: error }, 'vacuuming the embedded database failed; retrying on the next poll'),
  });
  app.addHook('onClose', () => maintenance.stop());
  const afterWrite = (rows: number, stored: readonly EngagementEvent[]) => {
    analyze(rows);
    fresh.put(stored);
    scoring.kick();
  };
  // The Segment routes and the email providers' webhooks share one write path.
  const ingest = createIngestBatcher(deps.db, { afterWrite, maxPending: deps.maxPendingMessages });
  await registerIngestRoutes(app, { ...shared, ingest });
  const fetchUrl = deps.fetchText ?? fetchText;
  await registerEmailEventRoutes(app, {
    ...shared,
    ingest,
    fetchText: fetchUrl,
    certificateAt: createCertificateCache(fetchUrl),
  });
  registerEmailSourceRoutes(app, shared);
  registerContactRoutes(app, shared);
  registerMergeRoutes(app, { ...shared, onMerged: () => announce.kick() });
  registerCompanyRoutes(app, shared);
  registerEnrichmentRoutes(app, { ...shared, allowList: webhookAllowList });
  registerPredictiveRoutes(app, shared);
  registerPlaybookRoutes(app, shared);
  registerBacktestRoutes(app, { ...shared, runs: backtestRuns });
  registerSuggestionRoutes(app, shared);
  registerWebhookRoutes(app, { ...shared, allowList: webhookAllowList, webhooks });
  registerJobRoutes(app, shared);
  registerHandoffRoutes(app, { ...shared, webhooks: announce });
  registerLiveRoutes(app, { resolveKey, changes });
  registerLeadRoutes(app, shared);
  registerReportRoutes(app, shared);
  registerSessionRoutes(app, shared);
  registerUserRoutes(app, shared);
  registerAuditRoutes(app, shared);
  registerPrivacyRoutes(app, { ...shared, onErased: () => announce.kick() });
  registerKeyRoutes(app, shared);
  registerSnippetRoutes(app, { ...shared, snippetRoot: deps.snippetRoot ?? defaultSnippetRoot() });
  return { app, playbooks, resolveKey, scoring, jobs, webhooks, maintenance, outage };
}
