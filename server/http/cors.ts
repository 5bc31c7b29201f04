/**
 * CORS for the read API: any origin may GET (reads are public), preflights are answered, and
 * writes get no CORS headers at all, so a page on another origin cannot write even with a
 * stolen token in hand. The allowed origin is always "*", never the request's Origin, so
 * responses do not vary by Origin and shared caches need no `Vary: Origin`.
 */
import type { MiddlewareHandler } from 'hono';

export interface CorsOptions {
  /** Seconds a browser may reuse a preflight answer. */
  maxAge?: number;
  allowHeaders?: string[];
  exposeHeaders?: string[];
}

const READ_METHODS = ['GET', 'HEAD', 'OPTIONS'];

export function corsMiddleware({
  maxAge = 86_400,
  allowHeaders = ['Content-Type', 'If-None-Match', 'X-Request-Id'],
  exposeHeaders = [
    'ETag',
    'Retry-After',
    'X-Request-Id',
    'X-RateLimit-Limit',
    'X-RateLimit-Remaining',
    'X-RateLimit-Reset',
  ],
}: CorsOptions = {}): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'OPTIONS') {
      // Answered here for any path: the router has no OPTIONS routes. A preflight for a
      // write gets only the read methods back, which makes the browser refuse the write.
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': READ_METHODS.join(', '),
        'Access-Control-Allow-Headers': allowHeaders.join(', '),
        'Access-Control-Max-Age': String(maxAge),
        'Cache-Control': `public, max-age=${maxAge}`,
      });
    }
    await next();
    if (!READ_METHODS.includes(method)) return;
    c.res.headers.set('Access-Control-Allow-Origin', '*');
    c.res.headers.set('Access-Control-Expose-Headers', exposeHeaders.join(', '));
  };
}
