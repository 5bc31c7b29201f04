/**
 * Who is asking: the owner (admin bearer token, or — once signed in from the tray — a
 * session cookie) or the public. Decided once per request by ownerMiddleware; pages and
 * routes read it with isOwner(c) instead of looking at headers themselves. Never decided
 * by address: the public tunnel connects from 127.0.0.1 too.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AdminTokenStore } from '../admin-token.ts';
import { bearerToken } from './auth.ts';
import { SESSION_COOKIE, type SessionStore } from './session.ts';

/** How the owner proved it: the bearer token, or the session cookie (then CSRF rules apply). */
export type OwnerProof = 'token' | 'session';

declare module 'hono' {
  interface ContextVariableMap {
    owner: boolean;
    ownerProof: OwnerProof | null;
  }
}

export const isOwner = (c: Context): boolean => c.get('owner') === true;
export const ownerProof = (c: Context): OwnerProof | null => c.get('ownerProof') ?? null;

export function ownerMiddleware({
  tokens,
  sessions,
}: {
  tokens: AdminTokenStore;
  sessions?: SessionStore;
}): MiddlewareHandler {
  return async (c, next) => {
    tokens.refresh();
    const token = bearerToken(c.req.header('authorization'));
    const proof: OwnerProof | null =
      token !== null && tokens.matches(token)
        ? 'token'
        : sessions?.isValid(getCookie(c, SESSION_COOKIE))
          ? 'session'
          : null;
    c.set('owner', proof !== null);
    c.set('ownerProof', proof);
    await next();
  };
}

/**
 * What the owner sees differs from what the public sees (edit forms, admin data), so no
 * owner response may be kept by a shared cache, nor served from the browser's cache later.
 */
export function ownerNoStoreMiddleware({
  // Static files are the same for everyone: the owner's browser may keep them.
  sharedPath = (path: string) => path.startsWith('/static/'),
}: {
  sharedPath?: (path: string) => boolean;
} = {}): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (isOwner(c) && !sharedPath(c.req.path)) c.res.headers.set('Cache-Control', 'private, no-store');
  };
}
