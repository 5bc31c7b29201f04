/**
 * The middleware every request passes through, in order (DESIGN sections 5 and 10):
 * request log and metrics (outermost, so every answer is counted) → request id → URL length
 * limit → owner (token or session) → CSRF (cookie-authenticated writes) → owner no-store →
 * security headers (pages) → CORS (read API) → rate limit → body size limit →
 * HTTP caching (API). CORS comes before the limiter so that a 429 is readable by a page on
 * another origin; the limiter comes before anything that reads a body or the database.
 */
import type { Hono } from 'hono';
import type { AdminTokenStore } from '../admin-token.ts';
import type { Logger } from '../logger.ts';
import type { HttpObservation } from '../observability/metrics.ts';
import { bodyLimitMiddleware, DEFAULT_BODY_LIMIT_BYTES } from './body-limit.ts';
import { type ClientAddressResolver, clientAddressResolver } from './client-address.ts';
import { corsMiddleware } from './cors.ts';
import { csrfMiddleware } from './csrf.ts';
import { httpCacheMiddleware } from './http-cache.ts';
import { ownerMiddleware, ownerNoStoreMiddleware } from './owner.ts';
import { rateLimitMiddleware } from './rate-limit.ts';
import { requestIdMiddleware } from './request-id.ts';
import { requestLogMiddleware } from './request-log.ts';
import { securityHeadersMiddleware } from './security-headers.ts';
import type { SessionStore } from './session.ts';
import { urlLimitMiddleware } from './url-limit.ts';

export interface HttpMiddlewareOptions {
  adminToken: AdminTokenStore;
  /** The owner's browser sessions (sign-in from the tray); without it only the token counts. */
  sessions?: SessionStore;
  /** Public requests per minute per client address; 0 turns the limiter off. */
  rateLimitPerMinute: number;
  trustProxy?: 'cloudflare' | null;
  /** Replaces how the client address is found (tests: app.request() has no socket). */
  clientAddress?: ClientAddressResolver;
  bodyLimitBytes?: number;
  maxUrlLength?: number;
  /** One line per request; null or absent writes none. */
  requestLog?: Pick<Logger, 'info'> | null;
  /** Metrics for each answered request. */
  observe?: (observation: HttpObservation) => void;
}

// Static files are cheap and a page pulls several; health checks come from monitors.
const notLimited = (path: string) => path.startsWith('/static/') || path === '/healthz';

/** Registers the middleware; call before any route so that every route is behind it. */
export function registerHttpMiddleware(
  app: Hono,
  {
    adminToken,
    sessions,
    rateLimitPerMinute,
    trustProxy = null,
    clientAddress = clientAddressResolver({ trustProxy }),
    bodyLimitBytes = DEFAULT_BODY_LIMIT_BYTES,
    maxUrlLength,
    requestLog,
    observe,
  }: HttpMiddlewareOptions,
) {
  if (requestLog || observe) app.use(requestLogMiddleware({ log: requestLog, observe, clientAddress }));
  app.use(requestIdMiddleware());
  app.use(urlLimitMiddleware({ maxLength: maxUrlLength }));
  app.use(ownerMiddleware({ tokens: adminToken, sessions }));
  app.use(csrfMiddleware());
  app.use(ownerNoStoreMiddleware());
  app.use(securityHeadersMiddleware());
  app.use('/api/*', corsMiddleware());
  app.use(rateLimitMiddleware({ perMinute: rateLimitPerMinute, clientAddress, skip: notLimited }));
  app.use(bodyLimitMiddleware({ maxBytes: bodyLimitBytes }));
  app.use('/api/*', httpCacheMiddleware());
}
