/**
 * One request budget for every TMDB caller in the process (backfill, page views, episode
 * fetches): requests start evenly spaced, `1000 / perSecond` ms apart (plus a little
 * slack), like the original's 25 ms ticker. Even spacing rather than bursts, because the
 * rate is measured where the requests arrive: a burst whose first requests are slowed by
 * connection set-up lands bunched together with the next burst and breaks the limit there.
 * A 429 pauses everyone, not only the caller that got it.
 *
 * Written here rather than taken from bottleneck/p-limit: it is a few lines, and the
 * shared pause on Retry-After is what matters.
 */

export interface RateLimiter {
  /** Resolves when the caller may start one request. Callers are served in arrival order. */
  acquire(): Promise<void>;
  /** Nobody starts a request for `ms` (TMDB's Retry-After). */
  pause(ms: number): void;
  readonly perSecond: number;
}

export interface RateLimiterOptions {
  perSecond: number;
  /** Slack per second so that network jitter cannot push a window over the limit (ms). */
  marginMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createRateLimiter({
  perSecond,
  marginMs = 25,
  now = () => performance.now(),
  sleep = defaultSleep,
}: RateLimiterOptions): RateLimiter {
  if (!Number.isFinite(perSecond) || perSecond <= 0) throw new RangeError('perSecond must be positive');
  const intervalMs = (1000 + marginMs) / perSecond;
  let nextStart = Number.NEGATIVE_INFINITY;
  let pausedUntil = Number.NEGATIVE_INFINITY;
  let queue: Promise<void> = Promise.resolve();

  const waitForTurn = async () => {
    for (;;) {
      const t = now();
      const wait = Math.max(nextStart, pausedUntil) - t;
      if (wait <= 0) {
        nextStart = t + intervalMs;
        return;
      }
      await sleep(Math.ceil(wait));
    }
  };

  return {
    perSecond,
    acquire() {
      const turn = queue.then(waitForTurn);
      queue = turn.catch(() => {});
      return turn;
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}
