/**
 * createServer(deps) → the Hono app, without listening: tests call app.request() on it,
 * start.ts serves it.
 */
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { registerCollectionsRoutes } from './collections/collections.routes.ts';
import { type Config, DEFAULT_RATE_LIMIT_PER_MINUTE } from './config.ts';
import type { Database } from './db/sql-runner.ts';
import { registerDiscoverRoutes } from './discover/discover.routes.ts';
import { type EngagementRecorder, noopEngagementRecorder } from './engagement/engagement.recorder.ts';
import { registerHomePages } from './home/home.pages.ts';
import { createHomeRepository } from './home/home.repository.ts';
import { requireAdminMiddleware } from './http/auth.ts';
import type { ClientAddressResolver } from './http/client-address.ts';
import { registerErrorHandling } from './http/errors.ts';
import { registerHttpMiddleware } from './http/middleware.ts';
import { createViews } from './http/views.ts';
import type { Logger } from './logger.ts';
import { registerMoviesRoutes } from './movies/movies.routes.ts';
import type { Repositories } from './repositories.ts';
import { registerSeasonsRoutes } from './shows/seasons.routes.ts';
import { registerShowsRoutes } from './shows/shows.routes.ts';
import { registerTitlesRoutes } from './titles/titles.routes.ts';

const STATIC_ROOT = fileURLToPath(new URL('../static', import.meta.url));

export interface ServerDeps {
  db: Database;
  repositories: Repositories;
  adminToken: string;
  log: Logger;
  /** Config's RATE_LIMIT_PER_MINUTE; 0 turns the limiter off. */
  rateLimitPerMinute?: number;
  trustProxy?: Config['trustProxy'];
  /** Tests replace how the client address is found (app.request() has no socket). */
  clientAddress?: ClientAddressResolver;
  /** Counts detail views and collection clicks; records nothing when not given. */
  engagement?: EngagementRecorder;
}

export function createServer({
  db,
  repositories,
  adminToken,
  log,
  rateLimitPerMinute = DEFAULT_RATE_LIMIT_PER_MINUTE,
  trustProxy = null,
  clientAddress,
  engagement = noopEngagementRecorder,
}: ServerDeps) {
  const app = new Hono();
  registerErrorHandling(app, { log: (message, error) => log.error(message, error) });
  registerHttpMiddleware(app, { adminToken, rateLimitPerMinute, trustProxy, clientAddress });

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
  registerHomePages(app, { home, views: createViews() });

  const api = new Hono();
  const requireAdmin = requireAdminMiddleware({ adminToken });
  registerTitlesRoutes(api, { titles: repositories.titles, requireAdmin, engagement });
  registerMoviesRoutes(api, { movies: repositories.movies, requireAdmin, engagement });
  registerShowsRoutes(api, { ...repositories, requireAdmin, engagement });
  registerSeasonsRoutes(api, { ...repositories, requireAdmin });
  registerDiscoverRoutes(api, repositories);
  registerCollectionsRoutes(api, { ...repositories, engagement });
  app.route('/api', api);

  return app;
}
