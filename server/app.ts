/**
 * createServer(deps) → the Hono app, without listening: tests call app.request() on it,
 * start.ts serves it.
 */
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { type AdminTokenStore, fixedAdminToken } from './admin-token.ts';
import { registerCollectionsPages } from './collections/collections.pages.ts';
import { registerCollectionsRoutes } from './collections/collections.routes.ts';
import { type Config, DEFAULT_RATE_LIMIT_PER_MINUTE } from './config.ts';
import type { Database } from './db/sql-runner.ts';
import { registerDiscoverPages } from './discover/discover.pages.ts';
import { registerDiscoverRoutes } from './discover/discover.routes.ts';
import { type EngagementRecorder, noopEngagementRecorder } from './engagement/engagement.recorder.ts';
import { registerHomePages } from './home/home.pages.ts';
import { createHomeRepository } from './home/home.repository.ts';
import { requireAdminMiddleware } from './http/auth.ts';
import type { ClientAddressResolver } from './http/client-address.ts';
import { errorPageRenderer } from './http/errors.pages.ts';
import { registerErrorHandling } from './http/errors.ts';
import { registerHttpMiddleware } from './http/middleware.ts';
import { registerSessionRoutes } from './http/session.routes.ts';
import { createSessionStore, type SessionStore } from './http/session.ts';
import { createViews } from './http/views.ts';
import { registerJobsRoutes } from './jobs/jobs.routes.ts';
import type { JobSupervisor } from './jobs/supervisor.ts';
import { registerSyncPages } from './jobs/sync.pages.ts';
import { createSyncJobsRepository } from './jobs/sync-jobs.repository.ts';
import type { Logger } from './logger.ts';
import { registerMoviesPages } from './movies/movies.pages.ts';
import { registerMoviesRoutes } from './movies/movies.routes.ts';
import { registerMetricsRoutes } from './observability/metrics.routes.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { registerOpenApiRoutes } from './openapi/openapi.routes.ts';
import type { Repositories } from './repositories.ts';
import { registerSettingsPages } from './settings/settings.pages.ts';
import { registerSettingsRoutes } from './settings/settings.routes.ts';
import { registerSeasonForms } from './shows/seasons.forms.ts';
import { registerSeasonsRoutes } from './shows/seasons.routes.ts';
import { registerShowsPages } from './shows/shows.pages.ts';
import { registerShowsRoutes } from './shows/shows.routes.ts';
import { registerTitleForms } from './titles/titles.forms.ts';
import { registerTitlesPages } from './titles/titles.pages.ts';
import { registerTitlesRoutes } from './titles/titles.routes.ts';
import { noOnDemandEnrichment, type OnDemandEnrichment } from './tmdb/on-demand.ts';
import type { TmdbProvider } from './tmdb/tmdb.provider.ts';

const STATIC_ROOT = fileURLToPath(new URL('../static', import.meta.url));

export interface ServerDeps {
  db: Database;
  repositories: Repositories;
  /** The admin token, or the server's rotatable store of it (start.ts). */
  adminToken: string | AdminTokenStore;
  /** The owner's browser sessions; a fresh store when not given. */
  sessions?: SessionStore;
  log: Logger;
  /** Config's RATE_LIMIT_PER_MINUTE; 0 turns the limiter off. */
  rateLimitPerMinute?: number;
  trustProxy?: Config['trustProxy'];
  /** Tests replace how the client address is found (app.request() has no socket). */
  clientAddress?: ClientAddressResolver;
  /** Counts detail views and collection clicks; records nothing when not given. */
  engagement?: EngagementRecorder;
  /** Runs sync jobs (start.ts); without it the jobs API and buttons answer 503. */
  jobs?: JobSupervisor;
  /** Aborted when the server closes; long-lived responses (event streams) end on it. */
  shutdown?: AbortSignal;
  /** Prometheus metrics served at /metrics; a fresh registry (no process metrics) when not given. */
  metrics?: Metrics;
  /** /metrics without the admin token (METRICS_PUBLIC=on). */
  metricsPublic?: boolean;
  /** One log line per request (REQUEST_LOG); off unless asked, so tests' logs stay theirs. */
  requestLog?: boolean;
  /** TMDB data fetched when a title is viewed, within a budget; nothing when not given (TMDB off). */
  enrichment?: OnDemandEnrichment;
  /** TMDB status and the owner's TMDB settings (API and page); not mounted when not given. */
  tmdb?: TmdbProvider;
}

export function createServer({
  db,
  repositories,
  adminToken,
  sessions = createSessionStore(),
  log,
  rateLimitPerMinute = DEFAULT_RATE_LIMIT_PER_MINUTE,
  trustProxy = null,
  clientAddress,
  engagement = noopEngagementRecorder,
  jobs,
  shutdown,
  metrics = createMetrics({ dialect: db.dialect, poolStats: db.poolStats, processMetrics: false }),
  metricsPublic = false,
  requestLog = false,
  enrichment = noOnDemandEnrichment,
  tmdb,
}: ServerDeps) {
  const app = new Hono();
  const tokens = typeof adminToken === 'string' ? fixedAdminToken(adminToken) : adminToken;
  tokens.onRotate(() => sessions.endAll());
  const views = createViews();
  registerErrorHandling(app, { log: (message, error) => log.error(message, error), page: errorPageRenderer(views) });
  registerHttpMiddleware(app, {
    adminToken: tokens,
    sessions,
    rateLimitPerMinute,
    trustProxy,
    clientAddress,
    requestLog: requestLog ? log : null,
    observe: metrics.observeRequest,
  });
  registerMetricsRoutes(app, { metrics, metricsPublic });

  const home = createHomeRepository({ sql: db.sql });
  app.get('/healthz', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      await db.ping();
      return c.json({ status: 'ok', database: db.dialect, catalogue: await home.source() });
    } catch (error) {
      log.warn('health check: database does not answer', error);
      return c.json({ status: 'unavailable', database: db.dialect }, 503);
    }
  });

  app.use('/static/*', serveStatic({ root: STATIC_ROOT, rewriteRequestPath: (path) => path.replace(/^\/static/, '') }));
  // Before the read pages: /titles/new must not be taken for a title id.
  registerTitleForms(app, { ...repositories, views });
  registerSeasonForms(app, { ...repositories, views });
  const syncJobs = createSyncJobsRepository({ sql: db.sql });
  registerHomePages(app, { home, syncJobs, views });
  registerTitlesPages(app, { titles: repositories.titles, views, engagement, enrichment });
  registerMoviesPages(app, { movies: repositories.movies, views, engagement, enrichment });
  registerShowsPages(app, { ...repositories, views, engagement, enrichment });
  registerDiscoverPages(app, { ...repositories, views });
  registerCollectionsPages(app, { ...repositories, engagement, views });
  registerSyncPages(app, { syncJobs, views, jobs });

  const api = new Hono();
  const requireAdmin = requireAdminMiddleware();
  registerTitlesRoutes(api, { titles: repositories.titles, requireAdmin, engagement, enrichment });
  registerMoviesRoutes(api, { movies: repositories.movies, requireAdmin, engagement, enrichment });
  registerShowsRoutes(api, { ...repositories, requireAdmin, engagement, enrichment });
  registerSeasonsRoutes(api, { ...repositories, requireAdmin });
  registerDiscoverRoutes(api, repositories);
  registerCollectionsRoutes(api, { ...repositories, engagement });
  registerJobsRoutes(api, { jobs, syncJobs, requireAdmin, shutdown });
  if (tmdb) {
    registerSettingsRoutes(api, { tmdb, requireAdmin });
    registerSettingsPages(app, { tmdb, views, requireAdmin });
  }
  app.route('/api', api);
  registerOpenApiRoutes(app);
  registerSessionRoutes(app, { sessions, tokens });

  return app;
}
