/**
 * Every request gets an id, echoed as X-Request-Id and kept in the context (c.get('requestId'))
 * so log lines about a request can name it. A caller's (or a proxy's) id is kept when it is
 * short and plain; anything else is replaced, so a log line never carries attacker-chosen text.
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    requestId: string;
  }
}

export const REQUEST_ID_HEADER = 'X-Request-Id';
const SANE_ID = /^[A-Za-z0-9._-]{1,64}$/;

export const isSaneRequestId = (id: string | undefined): id is string => id !== undefined && SANE_ID.test(id);

export interface RequestIdOptions {
  /** Makes the id of a request without a usable one. */
  generate?: () => string;
}

export function requestIdMiddleware({ generate = randomUUID }: RequestIdOptions = {}): MiddlewareHandler {
  return async (c, next) => {
    const incoming = c.req.header(REQUEST_ID_HEADER);
    const id = isSaneRequestId(incoming) ? incoming : generate();
    c.set('requestId', id);
    await next();
    // Not c.header(): after next() it rebuilds the response around a stream of its body.
    c.res.headers.set(REQUEST_ID_HEADER, id);
  };
}
