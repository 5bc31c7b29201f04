/**
 * A bounded load from many simulated client addresses over real loopback sockets: behind
 * Cloudflare (TRUST_PROXY=cloudflare) each CF-Connecting-IP gets its own allowance, one
 * client's 429s never spill onto another, nothing answers 5xx, and /metrics counts every
 * refusal.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../server/app.ts';
import type { Database } from '../../server/db/sql-runner.ts';
import { weakEtag } from '../../server/http/http-cache.ts';
import { createMemoryLogger } from '../../server/logger.ts';
import { createMetrics } from '../../server/observability/metrics.ts';
import { createRepositories } from '../../server/repositories.ts';
import { TEST_TOKEN } from '../app.ts';
import { openTestDatabase } from '../databases.ts';

const PER_MINUTE = 10;
const CLIENTS = 40;
const REQUESTS_EACH = 14;
const IN_FLIGHT = 16;

describe('many clients on loopback', () => {
  let db: Database;
  let server: ReturnType<typeof serve>;
  let base: string;
  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
    const app = createServer({
      db,
      repositories: createRepositories(db),
      adminToken: TEST_TOKEN,
      log: createMemoryLogger(),
      rateLimitPerMinute: PER_MINUTE,
      trustProxy: 'cloudflare',
      metrics: createMetrics({ dialect: 'sqlite', processMetrics: false }),
    });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.close();
  });

  it('tags bodies over a real socket as app.request() does, and answers the tag with 304', async () => {
    const headers = { 'cf-connecting-ip': '203.0.113.200' };
    const first = await fetch(`${base}/api/discover/carousels`, { headers });
    const bytes = await first.arrayBuffer();
    const etag = first.headers.get('etag');
    expect(etag).toBe(weakEtag(bytes));
    expect(JSON.parse(new TextDecoder().decode(bytes))).toMatchObject({ page: 1 });
    const again = await fetch(`${base}/api/discover/carousels`, {
      headers: { ...headers, 'if-none-match': etag ?? '' },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('gives each address its own allowance, never a 5xx, and counts the refusals', async () => {
    const jobs = Array.from({ length: CLIENTS * REQUESTS_EACH }, (_, i) => `198.51.100.${i % CLIENTS}`);
    const byClient = new Map<string, number[]>();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = next++; i < jobs.length; i = next++) {
          const client = jobs[i] as string;
          const res = await fetch(`${base}/api/titles?q=x`, { headers: { 'cf-connecting-ip': client } });
          if (res.status === 429) {
            expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
            expect(await res.json()).toMatchObject({ code: 'rate_limit.exceeded' });
          } else {
            await res.arrayBuffer();
          }
          byClient.set(client, [...(byClient.get(client) ?? []), res.status]);
        }
      }),
    );
    // Tokens come back at PER_MINUTE a minute: a slow run may earn a client one or two more.
    const refilled = Math.ceil(((performance.now() - started) / 60_000) * PER_MINUTE);
    let refused = 0;
    for (const [client, statuses] of byClient) {
      expect(statuses, client).toHaveLength(REQUESTS_EACH);
      expect(
        statuses.filter((s) => s >= 500),
        client,
      ).toEqual([]);
      const allowed = statuses.filter((s) => s === 200).length;
      expect(allowed, client).toBeGreaterThanOrEqual(PER_MINUTE);
      expect(allowed, client).toBeLessThanOrEqual(PER_MINUTE + refilled);
      refused += statuses.filter((s) => s === 429).length;
    }
    expect(byClient.size).toBe(CLIENTS);

    // A client that has not been seen is not affected by all of the above.
    expect((await fetch(`${base}/api/titles`, { headers: { 'cf-connecting-ip': '203.0.113.77' } })).status).toBe(200);

    const metrics = await (
      await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })
    ).text();
    const line = metrics.split('\n').find((l) => l.startsWith('mediacanon_rate_limit_rejections_total '));
    expect(Number(line?.split(' ')[1])).toBe(refused);
  });
});
