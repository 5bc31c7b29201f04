/**
 * Who is asking: the owner (admin bearer token, or — once signed in from the tray — a
 * session cookie) or the public. Decided once per request by ownerMiddleware; pages and
 * routes read it with isOwner(c) instead of looking at headers themselves.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bearerToken, tokenMatches } from './auth.ts';

declare module 'hono' {
  interface ContextVariableMap {
    owner: boolean;
  }
}

export const isOwner = (c: Context): boolean => c.get('owner') === true;

export function ownerMiddleware({ adminToken }: { adminToken: string }): MiddlewareHandler {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    c.set('owner', token !== null && tokenMatches(token, adminToken));
    await next();
  };
}
