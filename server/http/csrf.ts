/**
 * Cross-site request forgery (issue 8.4). A browser attaches the session cookie to any
 * request to this host, whoever's page started it; SameSite=Strict already keeps it off
 * cross-site requests in current browsers, and this check is the second lock: an unsafe
 * request the owner proved only by the cookie must come from one of our own pages, as its
 * Origin (or, when a browser sends none, its Referer) says. Bearer-token requests are not
 * browser-driven and are exempt; a request with neither proof gets its 401 further on.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from './errors.ts';
import { ownerProof } from './owner.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const originOf = (value: string | undefined): string | null => {
  if (!value || value === 'null') return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
};

/** Why the request is refused, or null when it comes from this site. */
export function crossSiteReason(c: Context): string | null {
  const own = new URL(c.req.url).origin;
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    return originOf(origin) === own ? null : `the request comes from another origin (Origin ${origin.slice(0, 100)})`;
  }
  const referer = c.req.header('referer');
  if (referer !== undefined) {
    return originOf(referer) === own ? null : 'the request comes from another origin (Referer)';
  }
  return 'the request carries neither Origin nor Referer, so it cannot be told apart from a cross-site one';
}

export function csrfMiddleware(): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method) && ownerProof(c) === 'session') {
      const reason = crossSiteReason(c);
      if (reason) {
        throw new AppError(403, 'auth.csrf', `refused: ${reason}; a signed-in write must come from this site's pages`);
      }
    }
    await next();
  };
}
