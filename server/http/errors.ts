/**
 * Errors as data: every failure a client can cause is an AppError with an HTTP status and
 * a dotted code ("area.reason"). One handler (registerErrorHandling) turns them into
 * {"error", "code"} JSON; anything else is logged and answered as a 500 without details.
 */
import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isBusy } from '../db/db-errors.ts';

export interface FieldIssue {
  field: string;
  message: string;
}

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly fields?: FieldIssue[],
  ) {
    super(message);
  }
}

export const notFound = (area: string, what: string) => new AppError(404, `${area}.not_found`, `${what} not found`);
export const badRequest = (code: string, message: string, fields?: FieldIssue[]) =>
  new AppError(400, code, message, fields);
export const conflict = (code: string, message: string) => new AppError(409, code, message);

export function errorBody(error: AppError) {
  return {
    error: error.message,
    code: error.code,
    ...(error.fields && error.fields.length > 0 && { fields: error.fields }),
  };
}

export interface ErrorHandlingOptions {
  log: (message: string, error: unknown) => void;
  /**
   * Renders the error as an HTML page in the site layout, for page requests (see
   * wantsPage); the JSON API, /healthz and /metrics always get the JSON shape.
   */
  page?: (c: Context, error: AppError) => Response | Promise<Response>;
}

/** Page paths: everything but the JSON API and the machine endpoints. */
export const wantsPage = (path: string) =>
  !(path === '/api' || path.startsWith('/api/') || path === '/healthz' || path === '/metrics');

export function registerErrorHandling(app: Hono, { log, page }: ErrorHandlingOptions) {
  const respond = (c: Context, error: AppError) => {
    c.header('Cache-Control', 'no-store');
    if (page && wantsPage(c.req.path)) {
      try {
        return page(c, error);
      } catch (renderError) {
        log(`error page failed to render on ${c.req.method} ${c.req.path}`, renderError);
      }
    }
    return c.json(errorBody(error), error.status);
  };
  app.notFound((c) => respond(c, new AppError(404, 'route.not_found', `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    if (error instanceof AppError) return respond(c, error);
    // SQLite lets one writer at a time: an import's merge holds the lock for a while.
    if (isBusy(error)) {
      c.header('Retry-After', '5');
      return respond(
        c,
        new AppError(503, 'database.busy', 'the database is busy (an import may be running); retry shortly'),
      );
    }
    // Hono's own HTTP errors (e.g. a body over the size limit) carry a status of their own.
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return respond(
        c,
        new AppError(status as ContentfulStatusCode, 'request.invalid', error.message || 'bad request'),
      );
    }
    const requestId = c.get('requestId');
    log(`unhandled error on ${c.req.method} ${c.req.path}${requestId ? ` (request ${requestId})` : ''}`, error);
    return respond(c, new AppError(500, 'server.error', 'internal server error'));
  });
}
