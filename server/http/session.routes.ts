/**
 * Owner sign-in and the admin token (issues 7.5 and 8.4):
 *
 * - POST /api/admin/sign-in-tokens (bearer token only) → a one-time link into the dashboard;
 *   the tray mints the same in-process (RunningServer.signInUrl()).
 * - GET /auth/sign-in?token=…[&next=/path] → the HttpOnly session cookie, 303 to `next`.
 * - POST /auth/sign-out → ends the session.
 * - POST /api/admin/token/rotate (owner) → a new admin token, shown once; every session ends.
 */
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { AdminTokenFromEnvironmentError, type AdminTokenStore } from '../admin-token.ts';
import { requireAdminMiddleware, requireAdminTokenMiddleware } from './auth.ts';
import { AppError, badRequest } from './errors.ts';
import { REDEEM_REFUSALS, SESSION_COOKIE, type SessionStore } from './session.ts';
import { parseQuery } from './validation.ts';

export const SIGN_IN_PATH = '/auth/sign-in';
export const SIGN_OUT_PATH = '/auth/sign-out';

export const signInPath = (token: string) => `${SIGN_IN_PATH}?token=${encodeURIComponent(token)}`;

/**
 * Where to go after signing in: only a path on this site. "//evil.example" and "/\evil"
 * are other hosts to a browser, so the path must resolve to our own origin.
 */
export function localPath(next: string | undefined): string {
  if (next === undefined || next === '') return '/';
  const base = 'http://local.invalid';
  let resolved: URL;
  try {
    resolved = new URL(next, base);
  } catch {
    resolved = new URL('http://elsewhere.invalid');
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (!next.startsWith('/') || resolved.origin !== base || /[\u0000-\u001f\\]/.test(next)) {
    throw badRequest('auth.invalid_next', 'next: must be a path on this site, e.g. /sync', [
      { field: 'next', message: 'must be a path on this site' },
    ]);
  }
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

const signInQuery = z.object({
  token: z.string({ error: 'is required' }).min(1, 'is required').max(200, 'is too long'),
  next: z.string().max(2000, 'is too long').optional(),
});

/**
 * The tray opens the sign-in link on the local URL. A request that came through a proxy or
 * the public tunnel (which add these headers) is not the owner's browser on this machine,
 * so a leaked link cannot turn into a session there.
 */
const PROXY_HEADERS = ['cf-connecting-ip', 'cf-ray', 'x-forwarded-for', 'forwarded'];
const viaProxy = (c: Context) => PROXY_HEADERS.some((name) => c.req.header(name) !== undefined);

const wantsJson = (c: Context) => /application\/json/i.test(c.req.header('accept') ?? '');

export function registerSessionRoutes(
  app: Hono,
  { sessions, tokens }: { sessions: SessionStore; tokens: AdminTokenStore },
) {
  app.post('/api/admin/sign-in-tokens', requireAdminTokenMiddleware(), (c) => {
    const { token, expiresInSeconds } = sessions.mintSignInToken();
    c.header('Cache-Control', 'no-store');
    return c.json({ token, path: signInPath(token), expires_in: expiresInSeconds }, 201);
  });

  app.get(SIGN_IN_PATH, (c) => {
    const query = parseQuery(c, signInQuery);
    const next = localPath(query.next);
    c.header('Cache-Control', 'no-store');
    // A link checker's HEAD must not spend the one-time token.
    if (c.req.method === 'HEAD') return c.body(null, 204);
    if (viaProxy(c)) {
      throw new AppError(
        403,
        'auth.sign_in_local_only',
        'sign in from the dashboard on this machine (the tray opens it), not through a proxy or tunnel',
      );
    }
    const result = sessions.redeem(query.token);
    if (!result.ok) throw new AppError(401, `auth.sign_in_${result.reason}`, REDEEM_REFUSALS[result.reason]);
    setCookie(c, SESSION_COOKIE, result.sessionId, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: new URL(c.req.url).protocol === 'https:',
      maxAge: result.maxAgeSeconds,
    });
    return c.redirect(next, 303);
  });

  app.post(SIGN_OUT_PATH, (c) => {
    sessions.end(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    c.header('Cache-Control', 'no-store');
    return wantsJson(c) ? c.body(null, 204) : c.redirect('/', 303);
  });

  app.post('/api/admin/token/rotate', requireAdminMiddleware(), (c) => {
    let token: string;
    try {
      token = tokens.rotate();
    } catch (error) {
      if (error instanceof AdminTokenFromEnvironmentError) {
        throw new AppError(409, 'auth.token_from_environment', error.message);
      }
      throw error;
    }
    c.header('Cache-Control', 'no-store');
    return c.json({ token, note: 'shown once: the old token and every signed-in session stopped working' });
  });
}
