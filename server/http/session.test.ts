import { describe, expect, it } from 'vitest';
import { createSessionStore } from './session.ts';

describe('session store', () => {
  it('spends a sign-in token once, on a session that lasts its time', () => {
    let now = 0;
    const sessions = createSessionStore({ sessionTtlMs: 60_000, now: () => now });
    const { token, expiresInSeconds } = sessions.mintSignInToken();
    expect(expiresInSeconds).toBe(120);
    const first = sessions.redeem(token);
    expect(first).toMatchObject({ ok: true, maxAgeSeconds: 60 });
    expect(sessions.redeem(token)).toEqual({ ok: false, reason: 'used' });
    expect(sessions.redeem('made-up')).toEqual({ ok: false, reason: 'unknown' });
    const sessionId = first.ok ? first.sessionId : '';
    expect(sessions.isValid(sessionId)).toBe(true);
    expect(sessions.isValid(`${sessionId}x`)).toBe(false);
    expect(sessions.isValid(undefined)).toBe(false);
    now = 60_000;
    expect(sessions.isValid(sessionId)).toBe(false);
    expect(sessions.size).toBe(0);
  });

  it('refuses a sign-in token past its time', () => {
    let now = 0;
    const sessions = createSessionStore({ signInTtlMs: 1000, now: () => now });
    const { token } = sessions.mintSignInToken();
    now = 1000;
    expect(sessions.redeem(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('stays bounded: the oldest sessions and sign-in tokens go first', () => {
    const sessions = createSessionStore({ maxSessions: 3, maxSignInTokens: 2 });
    const ids = Array.from({ length: 5 }, () => {
      const result = sessions.redeem(sessions.mintSignInToken().token);
      return result.ok ? result.sessionId : '';
    });
    expect(sessions.size).toBe(3);
    expect(ids.map((id) => sessions.isValid(id))).toEqual([false, false, true, true, true]);
    const tokens = [sessions.mintSignInToken(), sessions.mintSignInToken(), sessions.mintSignInToken()];
    expect(tokens.map(({ token }) => sessions.redeem(token).ok)).toEqual([false, true, true]);
  });

  it('ends one session, or every session and unused link', () => {
    const sessions = createSessionStore();
    const signIn = () => {
      const result = sessions.redeem(sessions.mintSignInToken().token);
      return result.ok ? result.sessionId : '';
    };
    const [a, b] = [signIn(), signIn()];
    sessions.end(a);
    expect([sessions.isValid(a), sessions.isValid(b)]).toEqual([false, true]);
    const pending = sessions.mintSignInToken().token;
    sessions.endAll();
    expect(sessions.isValid(b)).toBe(false);
    expect(sessions.redeem(pending)).toEqual({ ok: false, reason: 'unknown' });
  });
});
