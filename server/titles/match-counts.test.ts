import { describe, expect, it, vi } from 'vitest';
import { createMatchCountCache } from './match-counts.ts';

describe('match count cache', () => {
  it('loads once per key until cleared or expired', async () => {
    let now = 0;
    const cache = createMatchCountCache<number>({ ttlMs: 1000, now: () => now });
    const load = vi.fn(async () => 42);
    expect(await cache.get('the', load)).toBe(42);
    expect(await cache.get('the', load)).toBe(42);
    expect(load).toHaveBeenCalledTimes(1);
    now = 1001;
    await cache.get('the', load);
    expect(load).toHaveBeenCalledTimes(2);
    cache.clear();
    await cache.get('the', load);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('shares one load between concurrent misses and forgets failures', async () => {
    const cache = createMatchCountCache<number>();
    let release: (n: number) => void = () => {};
    const load = vi.fn(() => new Promise<number>((resolve) => (release = resolve)));
    const both = Promise.all([cache.get('x', load), cache.get('x', load)]);
    release(7);
    expect(await both).toEqual([7, 7]);
    expect(load).toHaveBeenCalledTimes(1);
    await expect(cache.get('y', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await cache.get('y', async () => 1)).toBe(1);
  });

  it('evicts the least recently used key past its size', async () => {
    const cache = createMatchCountCache<string>({ maxEntries: 2 });
    await cache.get('a', async () => 'a');
    await cache.get('b', async () => 'b');
    await cache.get('a', async () => 'stale');
    await cache.get('c', async () => 'c');
    expect(cache.size).toBe(2);
    expect(await cache.get('a', async () => 'reloaded')).toBe('a');
    expect(await cache.get('b', async () => 'reloaded')).toBe('reloaded');
  });
});
