/**
 * The outermost middleware: times every request, reports it to the metrics and writes one
 * structured log line for it (method, route pattern, status, duration, request id, client
 * address). Outermost, so 429s, 413s and 414s are counted and timed like any other answer.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from '../logger.ts';
import type { HttpObservation } from '../observability/metrics.ts';
import type { ClientAddressResolver } from './client-address.ts';
import { AppError } from './errors.ts';

export interface RequestLogOptions {
  /** Writes the per-request line; null writes none (the benchmark, tray apps that do not want them). */
  log?: Pick<Logger, 'info'> | null;
  observe?: (observation: HttpObservation) => void;
  clientAddress: ClientAddressResolver;
}

/**
 * The route pattern that answered, for a label that cannot grow with the URLs clients make
 * up: the last matched method route ('/api/titles/:id'); for middleware-only answers (static
 * files, preflights) the last wildcard that matched; '(unmatched)' for a 404 on no route.
 */
export function routeLabel(c: Context): string {
  const routes = [...matchedRoutes(c)].reverse();
  const handler = routes.find((r) => r.method !== 'ALL');
  if (handler) return handler.path;
  if (c.res.status === 404) return '(unmatched)';
  return routes.find((r) => r.path !== '/*')?.path ?? '(middleware)';
}

/** The error code the error handler answered with (c.error is the thrown error). */
function errorCodeOf(c: Context): string | undefined {
  const status = c.res.status;
  if (status < 400) return undefined;
  const error = c.error;
  if (error instanceof AppError) return error.code;
  if (status === 404 && !error) return 'route.not_found';
  if (status === 503) return 'database.busy';
  return status >= 500 ? 'server.error' : 'request.invalid';
}

// The path is the client's text: quoted (control characters escaped) and cut short.
const quoted = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);

export function requestLogMiddleware({ log, observe, clientAddress }: RequestLogOptions): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const durationMs = performance.now() - started;
    const route = routeLabel(c);
    const status = c.res.status;
    const retryAfter = status === 429 ? Number(c.res.headers.get('Retry-After')) : Number.NaN;
    observe?.({
      method: c.req.method,
      route,
      status,
      durationMs,
      errorCode: errorCodeOf(c),
      rateLimitWaitSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
    });
    log?.info(
      `request method=${c.req.method} route=${route} path=${quoted(c.req.path)} status=${status} ` +
        `duration_ms=${durationMs.toFixed(1)} request_id=${c.get('requestId') ?? '-'} client=${clientAddress(c)}`,
    );
  };
}
