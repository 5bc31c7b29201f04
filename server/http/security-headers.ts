/**
 * Security headers for everything outside the JSON API: pages, static files, /healthz.
 * The policy matches the one views.ts sends with each page; a response that already carries
 * a Content-Security-Policy keeps its own, so a client never sees two different policies.
 */
import type { MiddlewareHandler } from 'hono';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' https: data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export interface SecurityHeadersOptions {
  contentSecurityPolicy?: string;
  referrerPolicy?: string;
  /** Requests whose path this matches are left alone (the API has headers of its own). */
  skip?: (path: string) => boolean;
}

export const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/');

export function securityHeadersMiddleware({
  contentSecurityPolicy = CONTENT_SECURITY_POLICY,
  // Not no-referrer: under it browsers send `Origin: null` with a same-origin form post, and
  // the CSRF check (csrf.ts) could not tell our own forms from another site's. same-origin
  // still tells other sites nothing.
  referrerPolicy = 'same-origin',
  skip = isApiPath,
}: SecurityHeadersOptions = {}): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (skip(c.req.path)) return;
    const headers = c.res.headers;
    if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', contentSecurityPolicy);
    headers.set('X-Content-Type-Options', 'nosniff');
    headers.set('Referrer-Policy', referrerPolicy);
    headers.set('X-Frame-Options', 'DENY');
  };
}
