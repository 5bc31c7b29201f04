/**
 * The one TMDB client every caller uses (backfill, on-demand enrichment): bearer token
 * (preferred) or v3 key; the process-wide rate limit; a timeout on every attempt; retries
 * with exponential backoff and jitter on 5xx and network errors; Retry-After on 429; a
 * circuit breaker; identical concurrent requests merged into one; every answer validated.
 *
 * The key or token never leaves this file except in the request itself: errors and the
 * observe() events name the endpoint and path, never the URL's query string.
 */
import type { z } from 'zod';
import { type CircuitBreaker, createCircuitBreaker } from './circuit-breaker.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { TmdbError } from './tmdb.errors.ts';
import {
  episodeSchema,
  errorBodySchema,
  findSchema,
  movieSchema,
  seasonSchema,
  type TmdbEpisode,
  type TmdbFind,
  type TmdbMovie,
  type TmdbSeason,
  type TmdbTv,
  tvSchema,
} from './tmdb.schemas.ts';

export type TmdbCredentials = { kind: 'bearer'; token: string } | { kind: 'api_key'; key: string };

/** One HTTP attempt, for metrics: `endpoint` is a label (find, movie, tv, season, episode). */
export interface TmdbCallEvent {
  endpoint: string;
  status: number | 'error';
  durationMs: number;
  /** ok, not_found, unauthorized, rate_limited, server_error, http_error, timeout, network_error, malformed, circuit_open */
  outcome: string;
}

export interface TmdbClientDeps {
  /** e.g. https://api.themoviedb.org/3 (no trailing slash). */
  baseUrl: string;
  credentials: TmdbCredentials;
  limiter: RateLimiter;
  breaker?: CircuitBreaker;
  /** Per attempt, including reading the body. */
  timeoutMs?: number;
  /** Attempts after the first one, for 5xx, network errors, timeouts and 429. */
  maxRetries?: number;
  /** First backoff; doubled each retry, with full jitter. */
  backoffMs?: number;
  /** A Retry-After longer than this is cut down to it (a job must not sleep for hours). */
  maxRetryAfterMs?: number;
  observe?: (event: TmdbCallEvent) => void;
  fetch?: typeof fetch;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface TmdbClient {
  findByImdbId(imdbId: string): Promise<TmdbFind>;
  movie(id: number): Promise<TmdbMovie>;
  tv(id: number): Promise<TmdbTv>;
  season(tvId: number, season: number): Promise<TmdbSeason>;
  episode(tvId: number, season: number, episode: number): Promise<TmdbEpisode>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After is seconds or an HTTP date; a missing or silly value means one second. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (header && /^\d+(\.\d+)?$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = header ? Date.parse(header) : Number.NaN;
  return Number.isFinite(date) ? Math.max(0, date - now) : 1000;
}

type Attempt = { ok: true; body: unknown } | { ok: false; error: TmdbError; retryInMs?: number };

export function createTmdbClient(deps: TmdbClientDeps): TmdbClient {
  const {
    baseUrl,
    credentials,
    limiter,
    breaker = createCircuitBreaker(),
    timeoutMs = 5000,
    maxRetries = 3,
    backoffMs = 250,
    maxRetryAfterMs = 60_000,
    observe,
    random = Math.random,
    sleep = defaultSleep,
  } = deps;
  const fetchImpl = deps.fetch ?? fetch;
  const secret = credentials.kind === 'bearer' ? credentials.token : credentials.key;
  const inFlight = new Map<string, Promise<unknown>>();

  // Belt and braces: whatever text reaches an error, the secret is cut out of it.
  const redact = (text: string) => (secret ? text.split(secret).join('***') : text);

  const report = (endpoint: string, status: number | 'error', started: number, outcome: string) => {
    try {
      observe?.({ endpoint, status, durationMs: performance.now() - started, outcome });
    } catch {
      // Metrics must never break a request.
    }
  };

  async function attempt(endpoint: string, path: string): Promise<Attempt> {
    const url = new URL(`${baseUrl}${path}`);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (credentials.kind === 'bearer') headers.authorization = `Bearer ${credentials.token}`;
    else url.searchParams.set('api_key', credentials.key);

    // Episodes and seasons come in bulk for one show: they yield to everything else.
    await limiter.acquire(endpoint === 'episode' || endpoint === 'season' ? 'low' : 'high');
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const where = `TMDB ${endpoint} ${path}`;
    try {
      const response = await fetchImpl(url, { headers, signal: controller.signal });
      const text = await response.text();
      const status = response.status;
      if (status >= 200 && status < 300) {
        try {
          const body = JSON.parse(text);
          report(endpoint, status, started, 'ok');
          return { ok: true, body };
        } catch {
          report(endpoint, status, started, 'malformed');
          return { ok: false, error: new TmdbError('malformed', `${where}: the answer is not JSON`, status) };
        }
      }
      const tmdb = errorBodySchema.safeParse(safeJson(text));
      const tmdbCode = tmdb.success ? tmdb.data.status_code : undefined;
      const said = tmdb.success ? `: ${redact(tmdb.data.status_message)} (status_code ${tmdbCode})` : '';
      if (status === 429) {
        report(endpoint, status, started, 'rate_limited');
        const wait = Math.min(retryAfterMs(response.headers.get('retry-after')), maxRetryAfterMs);
        limiter.pause(wait);
        return {
          ok: false,
          error: new TmdbError('rate_limited', `${where}: rate limited by TMDB${said}`, status, tmdbCode),
          retryInMs: wait,
        };
      }
      const kind = status === 401 ? 'unauthorized' : status === 404 ? 'not_found' : status >= 500 ? 'server' : 'http';
      report(endpoint, status, started, kind === 'server' ? 'server_error' : kind === 'http' ? 'http_error' : kind);
      return { ok: false, error: new TmdbError(kind, `${where}: HTTP ${status}${said}`, status, tmdbCode) };
    } catch (error) {
      const timedOut = controller.signal.aborted;
      report(endpoint, 'error', started, timedOut ? 'timeout' : 'network_error');
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      return {
        ok: false,
        error: timedOut
          ? new TmdbError('timeout', `${where}: no answer within ${timeoutMs} ms`)
          : new TmdbError('network', `${where}: network error (${redact(String(cause))})`),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  const circuitOpen = (endpoint: string, path: string, last: TmdbError | null) => {
    report(endpoint, 'error', performance.now(), 'circuit_open');
    return new TmdbError(
      'unavailable',
      `TMDB ${endpoint} ${path}: TMDB is failing, not asking it for a while${last ? ` (last: ${last.message})` : ''}`,
      undefined,
      undefined,
      breaker.msUntilTrial(),
    );
  };

  async function request(endpoint: string, path: string): Promise<unknown> {
    let last: TmdbError | null = null;
    for (let retry = 0; retry <= maxRetries; retry++) {
      if (!breaker.allow()) throw circuitOpen(endpoint, path, last);
      const result = await attempt(endpoint, path);
      if (result.ok) {
        breaker.success();
        return result.body;
      }
      last = result.error;
      const outage = ['server', 'timeout', 'network'].includes(last.kind);
      if (outage) breaker.failure();
      else breaker.success();
      // Once the circuit is open a call stops retrying: trials start calls, not retries.
      if (outage && breaker.state() !== 'closed') throw circuitOpen(endpoint, path, last);
      if (!last.transient || retry === maxRetries) break;
      // Full jitter: many callers retrying at once spread out instead of stampeding.
      const backoff = result.retryInMs ?? backoffMs * 2 ** retry * random();
      await sleep(backoff);
    }
    throw last ?? new TmdbError('network', `TMDB ${endpoint} ${path}: failed`);
  }

  /** Concurrent identical requests share one HTTP call and one answer. */
  function get<S extends z.ZodType>(endpoint: string, path: string, schema: S): Promise<z.output<S>> {
    let pending = inFlight.get(path);
    if (!pending) {
      pending = request(endpoint, path).finally(() => inFlight.delete(path));
      inFlight.set(path, pending);
    }
    return pending.then((body) => {
      const parsed = schema.safeParse(body);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      throw new TmdbError(
        'malformed',
        `TMDB ${endpoint} ${path}: unexpected answer (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`,
      );
    });
  }

  const int = (n: number) => {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a TMDB id or number: ${n}`);
    return n;
  };

  return {
    async findByImdbId(imdbId) {
      if (!/^tt\d{1,12}$/.test(imdbId)) throw new RangeError(`not an IMDb id: ${imdbId}`);
      return get('find', `/find/${imdbId}?external_source=imdb_id`, findSchema);
    },
    movie: async (id) => get('movie', `/movie/${int(id)}`, movieSchema),
    tv: async (id) => get('tv', `/tv/${int(id)}`, tvSchema),
    season: async (tvId, season) => get('season', `/tv/${int(tvId)}/season/${int(season)}`, seasonSchema),
    episode: async (tvId, season, episode) =>
      get('episode', `/tv/${int(tvId)}/season/${int(season)}/episode/${int(episode)}`, episodeSchema),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
