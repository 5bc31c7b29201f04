import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.ts';

describe('TMDB rate limiter', () => {
  it('spaces requests evenly at the limit', async () => {
    const limiter = createRateLimiter({ perSecond: 20, marginMs: 0 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 11 }, async () => {
        await limiter.acquire();
        starts.push(performance.now());
      }),
    );
    const span = (starts.at(-1) as number) - (starts[0] as number);
    expect(span).toBeGreaterThanOrEqual(10 * 50 - 5);
    for (let i = 1; i < starts.length; i++) {
      expect((starts[i] as number) - (starts[i - 1] as number)).toBeGreaterThanOrEqual(45);
    }
  });

  it('serves high priority before queued low priority, in order within each', async () => {
    const limiter = createRateLimiter({ perSecond: 50 });
    const order: string[] = [];
    const take = (name: string, priority: 'high' | 'low') => limiter.acquire(priority).then(() => order.push(name));
    await Promise.all([
      take('low1', 'low'),
      take('low2', 'low'),
      take('low3', 'low'),
      take('high1', 'high'),
      take('high2', 'high'),
    ]);
    expect(order).toEqual(['low1', 'high1', 'high2', 'low2', 'low3']);
  });

  it('holds everyone back during a pause', async () => {
    const limiter = createRateLimiter({ perSecond: 1000 });
    await limiter.acquire();
    limiter.pause(200);
    const started = performance.now();
    await Promise.all([limiter.acquire(), limiter.acquire('low')]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('refuses a limit that is not positive', () => {
    expect(() => createRateLimiter({ perSecond: 0 })).toThrow(RangeError);
  });
});
