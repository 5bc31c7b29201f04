/**
 * Writes and admin routes need the admin token (DESIGN section 10). A request from
 * 127.0.0.1 proves nothing: the public tunnel connects from the same machine.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AppError } from './errors.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time comparison; hashing first makes the lengths equal. */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

export function requireAdminMiddleware({ adminToken }: { adminToken: string }): MiddlewareHandler {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (!token || !tokenMatches(token, adminToken)) {
      c.header('WWW-Authenticate', 'Bearer realm="mediacanon"');
      throw new AppError(401, 'auth.required', 'this route needs the admin token (Authorization: Bearer <token>)');
    }
    await next();
  };
}
