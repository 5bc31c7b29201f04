/**
 * Prometheus metrics (issue 8, observability): one Registry per app, not prom-client's global
 * one, so two apps in one process (tests, the benchmark) never share or double-register
 * counters. Labels are bounded: routes are Hono's matched patterns (`/api/titles/:id`), never
 * raw URLs, and error codes are the app's own dotted codes.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Dialect } from '../db/sql-runner.ts';

/** What one HTTP request contributes; the request-log middleware reports it. */
export interface HttpObservation {
  method: string;
  route: string;
  status: number;
  durationMs: number;
  /** The app's error code ("titles.not_found") when the response is an error. */
  errorCode?: string;
  /** Seconds the client was told to wait (Retry-After) when rate limited. */
  rateLimitWaitSeconds?: number;
}

/** A finished background job, as the job supervisor announces it. */
export interface JobEvent {
  type: string;
  kind?: string;
  status?: string;
  durationMs?: number;
}

/** Anything jobs can be watched on: the supervisor's subscribe(listener). */
export interface JobEventSource {
  subscribe(listener: (event: JobEvent) => void): unknown;
}

/** One call to TMDB, as the TMDB client's observe hook reports it. */
export interface TmdbCallEvent {
  endpoint: string;
  status?: number | null;
  durationMs: number;
  outcome: string;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface MetricsOptions {
  dialect?: Dialect;
  /** PostgreSQL pool counts; SQLite has one connection and no pool. */
  poolStats?: () => PoolStats;
  /** Node's process metrics (CPU, memory, event loop lag, GC); off in tests that count lines. */
  processMetrics?: boolean;
}

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_BUCKETS = [1, 5, 15, 60, 300, 900, 1800, 3600, 7200];

// A TMDB client may hand over a concrete path: ids become a placeholder so labels stay few.
const endpointPattern = (endpoint: string) =>
  endpoint
    .split('?')[0]
    ?.replace(/\/\d+(?=\/|$)/g, '/:id')
    .slice(0, 80) ?? 'unknown';

const label = (value: string | undefined, fallback = 'unknown') => (value ? value.slice(0, 60) : fallback);

export function createMetrics({ dialect, poolStats, processMetrics = true }: MetricsOptions = {}) {
  const registry = new Registry();
  const prefix = 'mediacanon_';
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix });

  const requests = new Counter({
    name: `${prefix}http_requests_total`,
    help: 'HTTP requests answered, by method, matched route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'Time from the request reaching the app to the response being ready',
    labelNames: ['method', 'route'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: `${prefix}http_errors_total`,
    help: 'Error responses by the app error code',
    labelNames: ['code', 'status'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: `${prefix}rate_limit_rejections_total`,
    help: 'Requests refused with 429 by the per-address rate limit',
    registers: [registry],
  });
  const rateLimitWait = new Histogram({
    name: `${prefix}rate_limit_wait_seconds`,
    help: 'Retry-After given to rate-limited clients',
    buckets: [1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  new Gauge({
    name: `${prefix}db_pool_connections`,
    help: 'Database connections by state (SQLite: one connection, no pool)',
    labelNames: ['dialect', 'state'] as const,
    registers: [registry],
    collect() {
      if (!dialect) return;
      const stats = poolStats?.() ?? { total: 1, idle: 1, waiting: 0 };
      this.set({ dialect, state: 'total' }, stats.total);
      this.set({ dialect, state: 'idle' }, stats.idle);
      this.set({ dialect, state: 'waiting' }, stats.waiting);
    },
  });
  const jobs = new Counter({
    name: `${prefix}jobs_total`,
    help: 'Background jobs finished, by kind and outcome',
    labelNames: ['kind', 'status'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: `${prefix}job_duration_seconds`,
    help: 'How long finished background jobs ran',
    labelNames: ['kind', 'status'] as const,
    buckets: JOB_BUCKETS,
    registers: [registry],
  });
  const tmdbCalls = new Counter({
    name: `${prefix}tmdb_requests_total`,
    help: 'Calls to the TMDB API by endpoint pattern, status and outcome',
    labelNames: ['endpoint', 'status', 'outcome'] as const,
    registers: [registry],
  });
  const tmdbDuration = new Histogram({
    name: `${prefix}tmdb_request_duration_seconds`,
    help: 'TMDB call durations',
    labelNames: ['endpoint', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  const observeJob = (event: JobEvent) => {
    if (event?.type !== 'finished') return;
    const labels = { kind: label(event.kind), status: label(event.status) };
    jobs.inc(labels);
    if (typeof event.durationMs === 'number' && Number.isFinite(event.durationMs) && event.durationMs >= 0) {
      jobDuration.observe(labels, event.durationMs / 1000);
    }
  };

  return {
    registry,
    contentType: registry.contentType,
    /** The whole registry in Prometheus text format. */
    text: () => registry.metrics(),
    observeRequest(o: HttpObservation) {
      const status = String(o.status);
      requests.inc({ method: o.method, route: o.route, status });
      latency.observe({ method: o.method, route: o.route }, o.durationMs / 1000);
      if (o.errorCode) errors.inc({ code: label(o.errorCode), status });
      if (o.status === 429) {
        rateLimited.inc();
        if (o.rateLimitWaitSeconds !== undefined) rateLimitWait.observe(o.rateLimitWaitSeconds);
      }
    },
    observeJob,
    /** Subscribes to a job supervisor's events; safe to call with nothing. */
    watchJobs(source: JobEventSource | undefined | null) {
      if (source && typeof source.subscribe === 'function') source.subscribe(observeJob);
    },
    /** Hand this to the TMDB client as its observe hook. */
    observeTmdbCall(event: TmdbCallEvent) {
      const endpoint = endpointPattern(String(event.endpoint ?? ''));
      const outcome = label(event.outcome);
      tmdbCalls.inc({ endpoint, status: event.status == null ? 'none' : String(event.status), outcome });
      if (Number.isFinite(event.durationMs) && event.durationMs >= 0) {
        tmdbDuration.observe({ endpoint, outcome }, event.durationMs / 1000);
      }
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
