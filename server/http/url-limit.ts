/**
 * A length limit for the request target (path and query): a longer one gets a 414 in the
 * usual JSON error shape before routing, validation or the rate limiter look at it. No real
 * client needs more (the longest API query is well under 1 KB); a huge query string only
 * costs parsing and log space. Node itself refuses request heads over 16 KB with a bare 431,
 * so the limit sits below that.
 */
import type { MiddlewareHandler } from 'hono';
import { AppError } from './errors.ts';

export const DEFAULT_MAX_URL_LENGTH = 4096;

export function urlLimitMiddleware({
  maxLength = DEFAULT_MAX_URL_LENGTH,
}: {
  maxLength?: number;
} = {}): MiddlewareHandler {
  return async (c, next) => {
    const url = c.req.url;
    // The target is everything from the first "/" after the origin: measured without parsing.
    const target = url.length - url.indexOf('/', url.indexOf('//') + 2);
    if (target > maxLength) {
      throw new AppError(
        414,
        'request.uri_too_long',
        `the request path and query are longer than ${maxLength} characters`,
      );
    }
    await next();
  };
}
