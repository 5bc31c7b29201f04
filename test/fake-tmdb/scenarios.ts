/** Failure scenarios for the fake TMDB server, composable: the first that answers wins. */
import { type FakeRequest, type FakeResponse, type Scenario, TMDB_ERRORS } from './fake-tmdb.ts';

/** The first `count` requests (matching `match`) get `status` with TMDB's error body. */
export function failFirst(
  count: number,
  status: 500 | 503 | 502 = 503,
  match: (r: FakeRequest) => boolean = () => true,
): Scenario {
  let seen = 0;
  return (request) => {
    if (!match(request) || seen >= count) return undefined;
    seen++;
    return { status, body: status === 502 ? { error: 'bad gateway' } : TMDB_ERRORS[status] };
  };
}

/** The first `count` requests get 429 with Retry-After (seconds, may be fractional). */
export function rateLimited(count: number, retryAfterSeconds: number): Scenario {
  let seen = 0;
  return () => {
    if (seen >= count) return undefined;
    seen++;
    return { status: 429, body: TMDB_ERRORS[429], headers: { 'retry-after': String(retryAfterSeconds) } };
  };
}

export const always =
  (answer: FakeResponse, match: (r: FakeRequest) => boolean = () => true): Scenario =>
  (request) =>
    match(request) ? answer : undefined;

/** Every request answered normally, but only after `delayMs`. */
export const slow =
  (delayMs: number, match: (r: FakeRequest) => boolean = () => true): Scenario =>
  (request) =>
    match(request) ? { delayMs } : undefined;

export const hang: Scenario = () => ({ hang: true });
export const down: Scenario = () => ({ destroy: true });
export const malformed =
  (raw = '{"id": 11, "poster_path": "/x.jpg"'): Scenario =>
  () => ({ status: 200, raw });

export function first(...scenarios: Scenario[]): Scenario {
  return (request, index) => {
    for (const scenario of scenarios) {
      const answer = scenario(request, index);
      if (answer) return answer;
    }
    return undefined;
  };
}
