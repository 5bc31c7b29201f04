import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_TOKEN, type TestApp } from '../../test/app.ts';
import { describeEachDialect, openTestDatabase } from '../../test/databases.ts';
import { createServer } from '../app.ts';
import { createMemoryLogger } from '../logger.ts';
import { createRepositories } from '../repositories.ts';
import { createMetrics, type JobEvent } from './metrics.ts';

const admin = { authorization: `Bearer ${TEST_TOKEN}` };

/** The value of one sample line, e.g. sample(text, 'x_total{a="b"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describeEachDialect('GET /metrics', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  it('needs the admin token, and answers Prometheus text with it', async () => {
    const refused = await t.get('/metrics');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'auth.required' });
    const res = await t.request('GET', '/metrics', undefined, admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
    const text = await res.text();
    expect(text).toContain('# TYPE mediacanon_http_requests_total counter');
    expect(sample(text, `mediacanon_db_pool_connections{dialect="${dialect}",state="total"}`)).toBeGreaterThanOrEqual(
      1,
    );
  });

  it('counts requests by route pattern and status, never by raw URL, and errors by code', async () => {
    for (const id of [111111, 222222, 333333]) expect((await t.get(`/api/titles/${id}`)).status).toBe(404);
    expect((await t.get('/api/titles/abc')).status).toBe(400);
    expect((await t.get('/no/such/page/at/all')).status).toBe(404);
    const text = await (await t.request('GET', '/metrics', undefined, admin)).text();
    expect(sample(text, 'mediacanon_http_requests_total{method="GET",route="/api/titles/:id",status="404"}')).toBe(3);
    expect(sample(text, 'mediacanon_http_requests_total{method="GET",route="/api/titles/:id",status="400"}')).toBe(1);
    expect(sample(text, 'mediacanon_http_errors_total{code="titles.not_found",status="404"}')).toBe(3);
    expect(sample(text, 'mediacanon_http_errors_total{code="request.invalid_id",status="400"}')).toBe(1);
    expect(text).toContain('route="(unmatched)"');
    expect(text).not.toContain('111111');
    expect(text).not.toContain('/no/such');
    expect(sample(text, 'mediacanon_http_request_duration_seconds_count{method="GET",route="/api/titles/:id"}')).toBe(
      4,
    );
  });
});

describe('metrics outside HTTP', () => {
  it('is open without a token when METRICS_PUBLIC is on, and counts rate-limit rejections', async () => {
    const db = await openTestDatabase('sqlite');
    try {
      const metrics = createMetrics({ dialect: 'sqlite', processMetrics: false });
      const app = createServer({
        db,
        repositories: createRepositories(db),
        adminToken: TEST_TOKEN,
        log: createMemoryLogger(),
        rateLimitPerMinute: 2,
        metrics,
        metricsPublic: true,
      });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await app.request('/api/collections')).status);
      expect(statuses).toEqual([200, 200, 429]);
      const text = await (await app.request('/metrics', { headers: admin })).text();
      expect(sample(text, 'mediacanon_rate_limit_rejections_total')).toBe(1);
      expect(sample(text, 'mediacanon_rate_limit_wait_seconds_count')).toBe(1);
      expect(sample(text, 'mediacanon_http_errors_total{code="rate_limit.exceeded",status="429"}')).toBe(1);
      // Public: the limiter still applies to it, but no token is needed.
      const other = createServer({
        db,
        repositories: createRepositories(db),
        adminToken: TEST_TOKEN,
        log: createMemoryLogger(),
        metricsPublic: true,
      });
      expect((await other.request('/metrics')).status).toBe(200);
    } finally {
      await db.close();
    }
  });

  it('records finished jobs from a supervisor and ignores other events', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const listeners: ((event: JobEvent) => void)[] = [];
    metrics.watchJobs({ subscribe: (listener) => listeners.push(listener) });
    metrics.watchJobs(undefined);
    for (const listener of listeners) {
      listener({ type: 'started', kind: 'imdb-sync' });
      listener({ type: 'finished', kind: 'imdb-sync', status: 'succeeded', durationMs: 90_000 });
      listener({ type: 'finished', kind: 'imdb-sync', status: 'failed', durationMs: 2_000 });
      listener({ type: 'finished', kind: 'tmdb-backfill', status: 'succeeded' });
    }
    const text = await metrics.text();
    expect(sample(text, 'mediacanon_jobs_total{kind="imdb-sync",status="succeeded"}')).toBe(1);
    expect(sample(text, 'mediacanon_jobs_total{kind="imdb-sync",status="failed"}')).toBe(1);
    expect(sample(text, 'mediacanon_jobs_total{kind="tmdb-backfill",status="succeeded"}')).toBe(1);
    expect(sample(text, 'mediacanon_job_duration_seconds_sum{kind="imdb-sync",status="succeeded"}')).toBe(90);
    expect(sample(text, 'mediacanon_job_duration_seconds_count{kind="tmdb-backfill",status="succeeded"}')).toBe(
      undefined,
    );
  });

  it('records TMDB calls by endpoint pattern, with ids folded', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.observeTmdbCall({ endpoint: '/movie/603', status: 200, durationMs: 120, outcome: 'ok' });
    metrics.observeTmdbCall({ endpoint: '/movie/604?language=en', status: 200, durationMs: 80, outcome: 'ok' });
    metrics.observeTmdbCall({ endpoint: '/find/tt0133093', status: 429, durationMs: 10, outcome: 'rate_limited' });
    metrics.observeTmdbCall({ endpoint: '/tv/1', status: null, durationMs: 5000, outcome: 'timeout' });
    const text = await metrics.text();
    expect(sample(text, 'mediacanon_tmdb_requests_total{endpoint="/movie/:id",status="200",outcome="ok"}')).toBe(2);
    expect(sample(text, 'mediacanon_tmdb_requests_total{endpoint="/tv/:id",status="none",outcome="timeout"}')).toBe(1);
    expect(text).toContain('outcome="rate_limited"');
    expect(text).not.toContain('603');
  });

  it('keeps registries apart: two apps count on their own', async () => {
    const a = createMetrics({ processMetrics: false });
    const b = createMetrics({ processMetrics: false });
    a.observeRequest({ method: 'GET', route: '/x', status: 200, durationMs: 1 });
    expect(await b.text()).not.toContain('route="/x"');
    expect(await a.text()).toContain('route="/x"');
  });
});
