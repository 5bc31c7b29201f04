/**
 * Writes and admin routes need the owner (DESIGN section 10): the admin token, or the
 * session cookie the tray's "Open Dashboard" sets. A request from 127.0.0.1 proves
 * nothing: the public tunnel connects from the same machine.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AppError } from './errors.ts';
import { isOwner, ownerProof } from './owner.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time comparison; hashing first makes the lengths equal. */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

const refuse = (message: string) => {
  throw new AppError(401, 'auth.required', message);
};

/** Lets the owner through, by token or by session (ownerMiddleware decided which). */
export function requireAdminMiddleware(): MiddlewareHandler {
  return async (c, next) => {
    if (!isOwner(c)) {
      c.header('WWW-Authenticate', 'Bearer realm="mediacanon"');
      refuse('this route needs the admin token (Authorization: Bearer <token>) or the owner signed in');
    }
    await next();
  };
}

/** Only the bearer token: for what a browser session must not do (e.g. mint sign-in links). */
export function requireAdminTokenMiddleware(): MiddlewareHandler {
  return async (c, next) => {
    if (ownerProof(c) !== 'token') {
      c.header('WWW-Authenticate', 'Bearer realm="mediacanon"');
      refuse('this route needs the admin token (Authorization: Bearer <token>)');
    }
    await next();
  };
}
