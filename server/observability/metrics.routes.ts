/**
 * GET /metrics in Prometheus text format. It tells how busy the server is, which routes
 * fail and how the database pool and jobs are doing: operational data, not for the public.
 * A request from 127.0.0.1 proves nothing (the tunnel connects from this machine), so the
 * owner's token is required unless METRICS_PUBLIC=on says the operator wants it open (a
 * scraper on a private network that cannot send a bearer token).
 */
import type { Hono } from 'hono';
import { AppError } from '../http/errors.ts';
import { isOwner } from '../http/owner.ts';
import type { Metrics } from './metrics.ts';

export interface MetricsRoutesDeps {
  metrics: Metrics;
  /** Serve /metrics without the admin token. */
  metricsPublic?: boolean;
}

export function registerMetricsRoutes(app: Hono, { metrics, metricsPublic = false }: MetricsRoutesDeps) {
  app.get('/metrics', async (c) => {
    if (!metricsPublic && !isOwner(c)) {
      c.header('WWW-Authenticate', 'Bearer realm="mediacanon"');
      throw new AppError(401, 'auth.required', '/metrics needs the admin token (Authorization: Bearer <token>)');
    }
    return c.body(await metrics.text(), 200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
  });
}
