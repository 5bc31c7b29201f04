/**
 * One request budget for every TMDB caller in the process (backfill, page views, episode
 * fetches): requests start evenly spaced, `1000 / perSecond` ms apart (plus a little
 * slack), like the original's 25 ms ticker. Even spacing rather than bursts, because the
 * rate is measured where the requests arrive: a burst whose first requests are slowed by
 * connection set-up lands bunched together with the next burst and breaks the limit there.
 * A 429 pauses everyone, not only the caller that got it. Requests for a title being viewed
 * go before a show's episode requests, so one long show does not hold up every poster.
 *
 * Written here rather than taken from bottleneck/p-limit: it is a few lines, and the
 * shared pause on Retry-After is what matters.
 */

export type RequestPriority = 'high' | 'low';

export interface RateLimiter {
  /**
   * Resolves when the caller may start one request: high priority first (a title someone
   * is looking at), low after (a show's episodes); in arrival order within each.
   */
  acquire(priority?: RequestPriority): Promise<void>;
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
  const waiting: Record<RequestPriority, (() => void)[]> = { high: [], low: [] };
  let pumping = false;

  // One loop hands out the slots; the waiter is picked when its slot comes, so a request
  // for a page view that arrives later still goes before queued episode requests.
  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      while (waiting.high.length > 0 || waiting.low.length > 0) {
        const wait = Math.max(nextStart, pausedUntil) - now();
        if (wait > 0) {
          await sleep(Math.ceil(wait));
          continue;
        }
        nextStart = now() + intervalMs;
        (waiting.high.shift() ?? waiting.low.shift())?.();
      }
    } finally {
      pumping = false;
    }
  };

  return {
    perSecond,
    acquire(priority = 'high') {
      return new Promise<void>((resolve) => {
        waiting[priority].push(resolve);
        void pump();
      });
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}
