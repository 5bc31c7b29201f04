/**
 * What can go wrong talking to TMDB, as data: callers decide by `kind` (a 404 means "TMDB
 * does not know it", a 401 means "fix the key", the rest means "try again later").
 * Messages name the endpoint and TMDB's own status, never the request URL: the v3 key
 * travels in the query string, and no error may carry it.
 */

export type TmdbErrorKind =
  /** 401: the key or token was refused (TMDB status_code 7 and friends). */
  | 'unauthorized'
  /** 404: TMDB does not know the resource (status_code 34). */
  | 'not_found'
  /** 429 still answered after every retry (status_code 25). */
  | 'rate_limited'
  /** 5xx after every retry. */
  | 'server'
  /** Another 4xx. */
  | 'http'
  | 'timeout'
  | 'network'
  /** The body is not JSON, or not the shape TMDB documents. */
  | 'malformed'
  /** The circuit breaker is open: TMDB failed repeatedly, calls fail fast for a while. */
  | 'unavailable';

export class TmdbError extends Error {
  override name = 'TmdbError';
  constructor(
    readonly kind: TmdbErrorKind,
    message: string,
    readonly status?: number,
    /** TMDB's status_code from its error body, when it sent one. */
    readonly tmdbCode?: number,
    /** unavailable: when the circuit lets a trial request through again (ms). */
    readonly retryInMs?: number,
  ) {
    super(message);
  }

  /** Worth another attempt later (the title keeps its backfill flag). */
  get transient(): boolean {
    return !['unauthorized', 'not_found', 'http', 'malformed'].includes(this.kind);
  }
}

export const isTmdbError = (error: unknown, kind?: TmdbErrorKind): error is TmdbError =>
  error instanceof TmdbError && (kind === undefined || error.kind === kind);
