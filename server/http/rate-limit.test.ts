import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { fixedAdminToken } from '../admin-token.ts';
import { clientAddressResolver } from './client-address.ts';
import { registerErrorHandling } from './errors.ts';
import { ownerMiddleware } from './owner.ts';
import { createTokenBuckets, type RateLimitOptions, rateLimitMiddleware } from './rate-limit.ts';

const TOKEN = 'rate-limit-test-token-0123456789';

function limitedApp(options: RateLimitOptions) {
  const app = new Hono();
  registerErrorHandling(app, { log: () => {} });
  app.use(ownerMiddleware({ tokens: fixedAdminToken(TOKEN) }));
  app.use(rateLimitMiddleware(options));
  app.get('/api/ping', (c) => c.json({ pong: true }));
  return app;
}

const limitHeaders = (res: Response) => ({
  limit: res.headers.get('x-ratelimit-limit'),
  remaining: res.headers.get('x-ratelimit-remaining'),
  reset: res.headers.get('x-ratelimit-reset'),
});

describe('createTokenBuckets', () => {
  it('spends the burst, refuses, then refills at the per-minute rate', () => {
    let now = 0;
    const buckets = createTokenBuckets({ perMinute: 60, now: () => now });
    for (let i = 59; i >= 0; i--) expect(buckets.take('a')).toMatchObject({ allowed: true, remaining: i });
    const refused = buckets.take('a');
    expect(refused).toEqual({ allowed: false, remaining: 0, resetSeconds: 60, retryAfterSeconds: 1 });
    expect(buckets.take('b').allowed).toBe(true); // another address has its own bucket
    now = 10_000; // 10 s at 1 token a second
    for (let i = 0; i < 10; i++) expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a').allowed).toBe(false);
    now = 70_000;
    expect(buckets.take('a')).toMatchObject({ allowed: true, remaining: 59, resetSeconds: 1 });
  });

  it('keeps at most maxBuckets addresses however many appear', () => {
    const buckets = createTokenBuckets({ perMinute: 10, maxBuckets: 100, now: () => 0 });
    for (let i = 0; i < 10_000; i++) buckets.take(`10.0.${i >> 8}.${i & 255}`);
    expect(buckets.size).toBeLessThanOrEqual(100);
    expect(buckets.size).toBeGreaterThan(50);
  });

  it('forgets full and least recently seen buckets first, not the busy ones', () => {
    let now = 0;
    const buckets = createTokenBuckets({ perMinute: 2, maxBuckets: 10, now: () => now });
    buckets.take('scraper');
    buckets.take('scraper');
    expect(buckets.take('scraper').allowed).toBe(false);
    for (let i = 0; i < 50; i++) {
      now += 1;
      buckets.take(`visitor-${i}`);
      buckets.take('scraper'); // stays recently seen, and stays empty
    }
    expect(buckets.size).toBeLessThanOrEqual(10);
    expect(buckets.take('scraper').allowed).toBe(false);
  });
});

describe('rateLimitMiddleware', () => {
  it('counts down in headers, then answers 429 with Retry-After in the JSON error shape', async () => {
    const app = limitedApp({ perMinute: 3 });
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const res = await app.request('/api/ping');
      expect(res.status).toBe(200);
      seen.push(limitHeaders(res));
    }
    expect(seen.map((h) => h.remaining)).toEqual(['2', '1', '0']);
    expect(seen.every((h) => h.limit === '3')).toBe(true);
    expect(seen.map((h) => Number(h.reset))).toEqual([20, 40, 60]);

    const refused = await app.request('/api/ping');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('20');
    expect(limitHeaders(refused)).toEqual({ limit: '3', remaining: '0', reset: '60' });
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(await refused.json()).toEqual({
      error: expect.stringContaining('too many requests'),
      code: 'rate_limit.exceeded',
    });
  });

  it('does not limit requests with the admin token, and does limit a wrong one', async () => {
    const app = limitedApp({ perMinute: 1 });
    expect((await app.request('/api/ping')).status).toBe(200);
    expect((await app.request('/api/ping')).status).toBe(429);
    for (let i = 0; i < 5; i++) {
      const res = await app.request('/api/ping', { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBeNull();
    }
    const wrong = await app.request('/api/ping', { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(429);
  });

  it('keys on the socket address, and on CF-Connecting-IP only behind Cloudflare', async () => {
    const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });
    const cf = (ip: string) => ({ headers: { 'cf-connecting-ip': ip } });

    const direct = limitedApp({ perMinute: 1, clientAddress: clientAddressResolver({ trustProxy: null }) });
    expect((await direct.request('/api/ping', cf('203.0.113.1'), from('198.51.100.7'))).status).toBe(200);
    // A made-up CF-Connecting-IP does not buy a fresh bucket…
    expect((await direct.request('/api/ping', cf('203.0.113.2'), from('198.51.100.7'))).status).toBe(429);
    // …but a different socket address has one.
    expect((await direct.request('/api/ping', cf('203.0.113.2'), from('198.51.100.8'))).status).toBe(200);

    const proxied = limitedApp({ perMinute: 1, clientAddress: clientAddressResolver({ trustProxy: 'cloudflare' }) });
    const tunnel = from('127.0.0.1'); // cloudflared connects from the same machine
    expect((await proxied.request('/api/ping', cf('203.0.113.1'), tunnel)).status).toBe(200);
    expect((await proxied.request('/api/ping', cf('203.0.113.1'), tunnel)).status).toBe(429);
    expect((await proxied.request('/api/ping', cf('203.0.113.2'), tunnel)).status).toBe(200);
    // Not an address: falls back to the socket, whose bucket is now spent by nobody yet.
    expect((await proxied.request('/api/ping', cf('not an ip'), tunnel)).status).toBe(200);
    expect((await proxied.request('/api/ping', cf('not an ip'), tunnel)).status).toBe(429);
  });

  it('shares one bucket among requests without a socket (app.request) and can be turned off', async () => {
    const limited = limitedApp({ perMinute: 1 });
    expect((await limited.request('/api/ping')).status).toBe(200);
    expect((await limited.request('/api/ping')).status).toBe(429);

    const off = limitedApp({ perMinute: 0 });
    for (let i = 0; i < 5; i++) {
      const res = await off.request('/api/ping');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBeNull();
    }
  });
});
