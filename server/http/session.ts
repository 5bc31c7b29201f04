/**
 * The owner's browser session (DESIGN section 10, issue 7.5): the tray's "Open Dashboard"
 * mints a one-time sign-in token, the browser exchanges it for an HttpOnly session cookie,
 * and the write forms work without typing the admin token. Sessions are never granted by
 * address: the public tunnel connects from 127.0.0.1 too.
 *
 * Everything lives in memory (a restart signs the owner out, which is fine for one person
 * on one machine) and is bounded: a flood of sign-ins cannot grow the maps. Only SHA-256
 * digests of tokens and session ids are kept, so a lookup leaks nothing through timing and
 * a heap dump holds nothing usable.
 */
import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'mc_session';

export interface SessionStoreOptions {
  /** How long a session lasts from sign-in. */
  sessionTtlMs?: number;
  /** How long a sign-in token may wait to be used. */
  signInTtlMs?: number;
  maxSessions?: number;
  maxSignInTokens?: number;
  now?: () => number;
}

export type RedeemResult =
  | { ok: true; sessionId: string; maxAgeSeconds: number }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

export const REDEEM_REFUSALS: Record<Extract<RedeemResult, { ok: false }>['reason'], string> = {
  unknown: 'this sign-in link is not valid',
  used: 'this sign-in link has already been used: open the dashboard from the tray again',
  expired: 'this sign-in link has expired: open the dashboard from the tray again',
};

interface SignInToken {
  expiresAt: number;
  used: boolean;
}

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');
const secret = () => randomBytes(32).toString('base64url');

/** Drops expired entries, then the oldest (Maps iterate in insertion order) down to `max - 1`. */
function makeRoom<T extends { expiresAt: number }>(entries: Map<string, T>, max: number, at: number) {
  for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key);
  for (const key of entries.keys()) {
    if (entries.size < max) break;
    entries.delete(key);
  }
}

export function createSessionStore({
  sessionTtlMs = 12 * 60 * 60 * 1000,
  signInTtlMs = 2 * 60 * 1000,
  maxSessions = 50,
  maxSignInTokens = 20,
  now = Date.now,
}: SessionStoreOptions = {}) {
  const sessions = new Map<string, { expiresAt: number }>();
  const signInTokens = new Map<string, SignInToken>();

  return {
    /** A single-use token that signs a browser in within `expiresInSeconds`. */
    mintSignInToken(): { token: string; expiresInSeconds: number } {
      const at = now();
      makeRoom(signInTokens, maxSignInTokens, at);
      const token = secret();
      signInTokens.set(digest(token), { expiresAt: at + signInTtlMs, used: false });
      return { token, expiresInSeconds: Math.round(signInTtlMs / 1000) };
    },

    /** Spends a sign-in token on a new session; a used token is remembered until it expires. */
    redeem(token: string): RedeemResult {
      const at = now();
      const entry = signInTokens.get(digest(token));
      if (!entry) return { ok: false, reason: 'unknown' };
      if (entry.expiresAt <= at) {
        signInTokens.delete(digest(token));
        return { ok: false, reason: 'expired' };
      }
      if (entry.used) return { ok: false, reason: 'used' };
      entry.used = true;
      makeRoom(sessions, maxSessions, at);
      const sessionId = secret();
      sessions.set(digest(sessionId), { expiresAt: at + sessionTtlMs });
      return { ok: true, sessionId, maxAgeSeconds: Math.floor(sessionTtlMs / 1000) };
    },

    isValid(sessionId: string | undefined): boolean {
      if (!sessionId) return false;
      const key = digest(sessionId);
      const session = sessions.get(key);
      if (!session) return false;
      if (session.expiresAt > now()) return true;
      sessions.delete(key);
      return false;
    },

    end(sessionId: string | undefined) {
      if (sessionId) sessions.delete(digest(sessionId));
    },

    /** Signs every browser out and voids unused sign-in links (admin token rotated). */
    endAll() {
      sessions.clear();
      signInTokens.clear();
    },

    get size() {
      return sessions.size;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
