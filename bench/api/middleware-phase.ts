/**
 * What the middleware costs (issue 8): the same search requests against two servers over the
 * same database and repositories, measured one after the other in this run —
 *
 * - full: the app as served (request log and metrics, request id, URL limit, owner, CSRF,
 *   security headers, CORS, a rate limiter high enough never to refuse, body limit, ETag);
 * - bare: the titles routes and the error handler only, no middleware at all.
 *
 * Uncached: plain GETs (the full stack hashes each body for its ETag). Cached: the full stack
 * answers If-None-Match with 304; the bare server, which has no ETags, answers the same
 * request with the whole 200 — "the same requests with the middleware off". Each ratio is
 * full req/s over bare req/s; the bare server is measured before and after the full one and
 * averaged, so drift in the machine's load does not favour either side.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createServer } from '../../server/app.ts';
import type { Database } from '../../server/db/sql-runner.ts';
import { noopEngagementRecorder } from '../../server/engagement/engagement.recorder.ts';
import { registerErrorHandling } from '../../server/http/errors.ts';
import type { Logger } from '../../server/logger.ts';
import { createMetrics } from '../../server/observability/metrics.ts';
import { createRepositories } from '../../server/repositories.ts';
import { registerTitlesRoutes } from '../../server/titles/titles.routes.ts';
import type { Cleanup } from '../shared/cleanup.ts';
import { BenchCheckError, measureThroughput, type Throughput } from './measure.ts';
import type { Options } from './options.ts';
import { type ReportRow, TARGETS } from './report.ts';

const ROUNDS = 3;

/** Several runs as one: all their requests over all their time; latencies from the slowest run. */
function combined(runs: Throughput[]): Throughput {
  const requests = runs.reduce((sum, r) => sum + r.requests, 0);
  const seconds = runs.reduce((sum, r) => sum + r.requests / r.requestsPerSecond, 0);
  return {
    connections: runs[0]?.connections ?? 0,
    seconds,
    requests,
    requestsPerSecond: requests / seconds,
    p50: Math.max(...runs.map((r) => r.p50)),
    p99: Math.max(...runs.map((r) => r.p99)),
  };
}

async function listen(app: Hono, cleanup: Cleanup, name: string) {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  cleanup.add(`close the ${name} server`, () => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function bareApp(repositories: ReturnType<typeof createRepositories>, log: Logger) {
  const app = new Hono();
  registerErrorHandling(app, { log: (message, error) => log.error(message, error) });
  const api = new Hono();
  registerTitlesRoutes(api, {
    titles: repositories.titles,
    requireAdmin: (_c, next) => next(),
    engagement: noopEngagementRecorder,
  });
  app.route('/api', api);
  return app;
}

/** The ETag of each path on the full server, for the conditional requests. */
async function etagsOf(baseUrl: string, paths: string[]) {
  const headers: Record<string, Record<string, string>> = {};
  for (const path of paths) {
    const res = await fetch(baseUrl + path);
    await res.arrayBuffer();
    const etag = res.headers.get('etag');
    if (res.status !== 200 || !etag) throw new BenchCheckError(`GET ${path} → ${res.status} without an ETag`);
    const again = await fetch(baseUrl + path, { headers: { 'if-none-match': etag } });
    if (again.status !== 304) throw new BenchCheckError(`GET ${path} with its ETag → ${again.status}, not 304`);
    headers[path] = { 'if-none-match': etag };
  }
  return headers;
}

const ratioRow = (metric: string, full: Throughput, bare: number): ReportRow => {
  const ratio = full.requestsPerSecond / bare;
  return {
    metric: `${metric}: ${full.requestsPerSecond.toFixed(0)} vs ${bare.toFixed(0)} req/s bare = ${ratio.toFixed(2)}×`,
    p50: full.p50,
    p99: full.p99,
    reqPerSec: full.requestsPerSecond,
    target: `≥ ${(1 - TARGETS.middlewareCost).toFixed(2)}× bare`,
    meets: ratio >= 1 - TARGETS.middlewareCost,
    detail: { ratio, bareRequestsPerSecond: bare, connections: full.connections, seconds: full.seconds },
  };
};

export async function measureMiddlewareCost(
  db: Database,
  paths: string[],
  options: Options,
  cleanup: Cleanup,
  rows: ReportRow[],
  log: (line: string) => void,
  serverLog: Logger,
) {
  const repositories = createRepositories(db);
  cleanup.add('stop the middleware phase carousels', () => repositories.carousels.stop());
  // Request lines are formatted as in production but not kept: the bench is about the stack.
  const quiet: Logger = { ...serverLog, info: () => {} };
  const full = createServer({
    db,
    repositories,
    adminToken: 'bench-admin-token-0123456789',
    log: quiet,
    rateLimitPerMinute: 1_000_000,
    requestLog: true,
    metrics: createMetrics({ dialect: db.dialect, poolStats: db.poolStats }),
  });
  const fullUrl = await listen(full, cleanup, 'full-stack');
  const bareUrl = await listen(bareApp(repositories, serverLog), cleanup, 'bare');
  const conditional = await etagsOf(fullUrl, paths);
  // --duration split over ROUNDS rounds of bare, full, full 304, bare again: a busy spell on
  // the machine then lands on every side instead of on one.
  const seconds = Math.max(1, Math.round(options.duration / ROUNDS));
  const run = (url: string, extra?: Parameters<typeof measureThroughput>[4]) =>
    measureThroughput(url, paths, options.connections, seconds, extra);
  const bareRuns: Throughput[] = [];
  const bareConditionalRuns: Throughput[] = [];
  const uncachedRuns: Throughput[] = [];
  const cachedRuns: Throughput[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bareRuns.push(await run(bareUrl));
    uncachedRuns.push(await run(fullUrl));
    cachedRuns.push(await run(fullUrl, { headers: conditional, expectStatus: 304 }));
    // The bare server ignores If-None-Match: the cached case's requests, answered 200. The
    // load generator shares the CPUs and works harder for per-path headers, so each case is
    // compared with bare requests that carry the same headers.
    bareConditionalRuns.push(await run(bareUrl, { headers: conditional }));
  }
  const bare = combined(bareRuns).requestsPerSecond;
  const bareConditional = combined(bareConditionalRuns).requestsPerSecond;
  const fullUncached = combined(uncachedRuns);
  const fullCached = combined(cachedRuns);

  const conns = `${options.connections} conns, ${ROUNDS}×${seconds} s`;
  rows.push(ratioRow(`middleware, uncached search (${conns})`, fullUncached, bare));
  rows.push(ratioRow(`middleware, cached 304 search (${conns})`, fullCached, bareConditional));
  log(
    `middleware: uncached ${fullUncached.requestsPerSecond.toFixed(0)} req/s vs bare ${bare.toFixed(0)} ` +
      `(${(fullUncached.requestsPerSecond / bare).toFixed(2)}×); 304 ${fullCached.requestsPerSecond.toFixed(0)} req/s vs ` +
      `bare 200 ${bareConditional.toFixed(0)} (${(fullCached.requestsPerSecond / bareConditional).toFixed(2)}×)`,
  );
}
