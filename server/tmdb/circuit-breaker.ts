/**
 * When TMDB is down, waiting out a timeout per request would pile requests up behind the
 * rate limit. After `threshold` failures in a row the circuit opens and calls fail at once;
 * after `cooldownMs` one trial request is let through (half-open): success closes the
 * circuit, failure opens it for another cooldown.
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreaker {
  /** May a request start now? In half-open, only the one trial request may. */
  allow(): boolean;
  success(): void;
  failure(): void;
  state(): CircuitState;
  /** Milliseconds until a trial request may go (0 when one may go now). */
  msUntilTrial(): number;
}

export interface CircuitBreakerOptions {
  threshold?: number;
  cooldownMs?: number;
  now?: () => number;
}

export function createCircuitBreaker({
  threshold = 8,
  cooldownMs = 15_000,
  now = () => Date.now(),
}: CircuitBreakerOptions = {}): CircuitBreaker {
  let failures = 0;
  let openedAt: number | null = null;
  let trialRunning = false;

  const state = (): CircuitState => {
    if (openedAt === null) return 'closed';
    return now() - openedAt >= cooldownMs ? 'half-open' : 'open';
  };

  return {
    state,
    msUntilTrial: () => (openedAt === null ? 0 : Math.max(0, openedAt + cooldownMs - now())),
    allow() {
      const current = state();
      if (current === 'closed') return true;
      if (current === 'open' || trialRunning) return false;
      trialRunning = true;
      return true;
    },
    success() {
      failures = 0;
      openedAt = null;
      trialRunning = false;
    },
    failure() {
      failures++;
      if (trialRunning || failures >= threshold) openedAt = now();
      trialRunning = false;
    },
  };
}
