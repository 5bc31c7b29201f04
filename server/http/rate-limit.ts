/**
 * Rate limiting per client address (DESIGN section 10): a token bucket per address holding
 * `perMinute` tokens (the burst), refilled continuously at `perMinute` per minute. The owner
 * (admin token or signed-in session, see owner.ts) is not limited. Every limited response
 * says where the client stands (X-RateLimit-Limit / -Remaining / -Reset, in seconds until
 * the bucket is full again); past the limit the answer is a 429 with Retry-After.
 */
import type { MiddlewareHandler } from 'hono';
import { type ClientAddressResolver, clientAddressResolver } from './client-address.ts';
import { AppError } from './errors.ts';
import { isOwner } from './owner.ts';

export interface TokenBucketsOptions {
  perMinute: number;
  /** Most addresses remembered at once; see makeRoom for what is forgotten first. */
  maxBuckets?: number;
  now?: () => number;
}

export interface BucketState {
  allowed: boolean;
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until the next request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

export function createTokenBuckets({ perMinute, maxBuckets = 10_000, now = Date.now }: TokenBucketsOptions) {
  const capacity = perMinute;
  const tokensPerMs = perMinute / 60_000;
  // A Map keeps insertion order; touching a bucket re-inserts it, so the first entries are
  // the least recently seen addresses.
  const buckets = new Map<string, Bucket>();

  const refill = (bucket: Bucket, at: number) => {
    bucket.tokens = Math.min(capacity, bucket.tokens + (at - bucket.updated) * tokensPerMs);
    bucket.updated = at;
  };

  /**
   * Memory stays bounded however many addresses appear (a scraper can rotate through a whole
   * IPv6 prefix). Full buckets go first: a full bucket is the same as no bucket, so dropping
   * it changes nobody's limit. If that is not enough, the least recently seen addresses go:
   * they have been refilling longest, so they are the closest to full and forgetting them
   * forgives the least. Eviction is done in a batch (down to 90%) so that an address flood
   * costs one sweep per tenth of the capacity, not one per request.
   */
  function makeRoom(at: number) {
    for (const [key, bucket] of buckets) {
      refill(bucket, at);
      if (bucket.tokens >= capacity) buckets.delete(key);
    }
    const target = Math.floor(maxBuckets * 0.9);
    for (const key of buckets.keys()) {
      if (buckets.size <= target) break;
      buckets.delete(key);
    }
  }

  return {
    take(key: string): BucketState {
      const at = now();
      let bucket = buckets.get(key);
      if (bucket) {
        refill(bucket, at);
        buckets.delete(key);
      } else {
        if (buckets.size >= maxBuckets) makeRoom(at);
        bucket = { tokens: capacity, updated: at };
      }
      buckets.set(key, bucket);
      const allowed = bucket.tokens >= 1;
      if (allowed) bucket.tokens -= 1;
      const secondsFor = (tokens: number) => Math.max(0, Math.ceil(tokens / tokensPerMs / 1000));
      return {
        allowed,
        remaining: Math.floor(bucket.tokens),
        resetSeconds: secondsFor(capacity - bucket.tokens),
        retryAfterSeconds: allowed ? 0 : Math.max(1, secondsFor(1 - bucket.tokens)),
      };
    },
    get size() {
      return buckets.size;
    },
  };
}

export interface RateLimitOptions {
  /** Requests per minute per address, and the burst; 0 turns limiting off. */
  perMinute?: number;
  clientAddress?: ClientAddressResolver;
  /** Paths left alone (static files, health checks). */
  skip?: (path: string) => boolean;
  maxBuckets?: number;
  now?: () => number;
}

export function rateLimitMiddleware({
  perMinute = 600,
  clientAddress = clientAddressResolver(),
  skip = () => false,
  maxBuckets,
  now,
}: RateLimitOptions = {}): MiddlewareHandler {
  if (perMinute <= 0) return (_c, next) => next();
  const buckets = createTokenBuckets({ perMinute, maxBuckets, now });
  return async (c, next) => {
    if (skip(c.req.path)) return next();
    if (isOwner(c)) return next();

    const state = buckets.take(clientAddress(c));
    const describe = (set: (name: string, value: string) => void) => {
      set('X-RateLimit-Limit', String(perMinute));
      set('X-RateLimit-Remaining', String(state.remaining));
      set('X-RateLimit-Reset', String(state.resetSeconds));
    };
    if (!state.allowed) {
      // Set before throwing: the error handler's response keeps headers already set.
      describe(c.header);
      c.header('Retry-After', String(state.retryAfterSeconds));
      throw new AppError(
        429,
        'rate_limit.exceeded',
        `too many requests: at most ${perMinute} a minute; retry in ${state.retryAfterSeconds} s`,
      );
    }
    await next();
    // On the finished response's own headers: c.header() at this point would rebuild the
    // response around a stream of its body, each time (bench:api --phases middleware).
    describe((name, value) => c.res.headers.set(name, value));
  };
}
