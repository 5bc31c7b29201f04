import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeTmdb, KNOWN, startFakeTmdb } from '../../test/fake-tmdb/fake-tmdb.ts';
import { always, down, failFirst, hang, malformed, rateLimited, slow } from '../../test/fake-tmdb/scenarios.ts';
import { createCircuitBreaker } from './circuit-breaker.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { createTmdbClient, retryAfterMs, type TmdbCallEvent, type TmdbClientDeps } from './tmdb.client.ts';
import { TmdbError } from './tmdb.errors.ts';

let fake: FakeTmdb;
beforeAll(async () => {
  fake = await startFakeTmdb();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.use(null);
  fake.requests.length = 0;
});

const client = (overrides: Partial<TmdbClientDeps> = {}) =>
  createTmdbClient({
    baseUrl: fake.url,
    credentials: { kind: 'bearer', token: fake.token },
    limiter: createRateLimiter({ perSecond: 1000 }),
    backoffMs: 5,
    timeoutMs: 1000,
    ...overrides,
  });

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TmdbError);
  return error as TmdbError;
};

describe('TMDB client', () => {
  it('reads recorded answers with the bearer token, preferred over a key', async () => {
    const movie = await client().movie(KNOWN.movie.tmdbId);
    expect(movie).toMatchObject({
      id: 11,
      poster_path: '/6FfCtAuVAW8XJjZ7eWeLibRLWTw.jpg',
      release_date: '1977-05-25',
    });
    expect(movie.runtime).toBe(121);
    expect(fake.requests[0]?.authorization).toBe(`Bearer ${fake.token}`);
    expect(fake.requests[0]?.query.has('api_key')).toBe(false);
    const found = await client().findByImdbId(KNOWN.show.imdbId);
    expect(found.tv_results.map((r) => r.id)).toEqual([1399]);
    const episode = await client().episode(1399, 1, 1);
    expect(episode).toMatchObject({ name: 'Winter Is Coming', air_date: '2011-04-17', runtime: 62 });
  });

  it('sends a v3 key as api_key and never puts it in errors or events', async () => {
    const events: TmdbCallEvent[] = [];
    const ok = client({ credentials: { kind: 'api_key', key: fake.apiKey } });
    expect((await ok.tv(1399)).id).toBe(1399);
    expect(fake.requests[0]?.query.get('api_key')).toBe(fake.apiKey);

    const wrongKey = 'wrongkey0123456789abcdef01234567';
    const error = await failure(
      client({ credentials: { kind: 'api_key', key: wrongKey }, observe: (e) => events.push(e) }).movie(11),
    );
    expect(error.kind).toBe('unauthorized');
    expect(error.status).toBe(401);
    expect(error.tmdbCode).toBe(7);
    expect(error.message).toContain('Invalid API key');
    const everything = JSON.stringify([error.message, error.stack, events]);
    expect(everything).not.toContain(wrongKey);
    expect(events).toEqual([expect.objectContaining({ endpoint: 'movie', status: 401, outcome: 'unauthorized' })]);
    expect(fake.requests).toHaveLength(2); // 401 is not retried
  });

  it('answers 404 as not_found with TMDB status_code 34, without retrying', async () => {
    const error = await failure(client().movie(999_999));
    expect(error).toMatchObject({ kind: 'not_found', status: 404, tmdbCode: 34 });
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 5xx burst and a dropped connection, then answers', async () => {
    fake.use(failFirst(2, 503));
    expect((await client().movie(11)).id).toBe(11);
    expect(fake.requests).toHaveLength(3);

    fake.requests.length = 0;
    fake.use((_request, index) => (index === 0 ? { destroy: true } : undefined));
    expect((await client().tv(1399)).id).toBe(1399);
    expect(fake.requests).toHaveLength(2);
  });

  it('gives up after its retries with a server error', async () => {
    fake.use(always({ status: 500, body: { status_code: 11, status_message: 'Internal error', success: false } }));
    const error = await failure(client({ maxRetries: 2 }).movie(11));
    expect(error).toMatchObject({ kind: 'server', status: 500, tmdbCode: 11 });
    expect(fake.requests).toHaveLength(3);
  });

  it('waits for Retry-After on 429, and the wait holds back every caller', async () => {
    fake.use(rateLimited(1, 0.4));
    const limiter = createRateLimiter({ perSecond: 1000 });
    const tmdb = client({ limiter });
    const started = performance.now();
    const [movie, show] = await Promise.all([
      tmdb.movie(11),
      new Promise((r) => setTimeout(r, 50)).then(() => tmdb.tv(1399)),
    ]);
    expect(movie.id).toBe(11);
    expect(show.id).toBe(1399);
    const [first, second, third] = fake.requests;
    expect(fake.requests).toHaveLength(3);
    expect(first?.endpoint).toBe('movie');
    // Both later requests started after the pause TMDB asked for.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(380);
    expect((third?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(380);
    expect(performance.now() - started).toBeGreaterThanOrEqual(380);
  });

  it('parses Retry-After as seconds or a date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs(null)).toBe(1000);
    expect(retryAfterMs('soon')).toBe(1000);
  });

  it('times out an attempt that gets no answer', async () => {
    fake.use(hang);
    const started = performance.now();
    const error = await failure(client({ timeoutMs: 150, maxRetries: 1 }).movie(11));
    const elapsed = performance.now() - started;
    expect(error.kind).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3000);
    expect(fake.requests).toHaveLength(2);
  });

  it('turns malformed JSON and unexpected shapes into a typed error', async () => {
    fake.use(malformed());
    expect((await failure(client().movie(11))).kind).toBe('malformed');
    fake.use(always({ status: 200, body: { id: 'eleven', poster_path: 3 } }));
    const shape = await failure(client().movie(11));
    expect(shape.kind).toBe('malformed');
    expect(shape.message).toContain('id');
    fake.use(always({ status: 200, body: [1, 2, 3] }));
    expect((await failure(client().findByImdbId('tt0076759'))).kind).toBe('malformed');
    fake.use(always({ status: 503, raw: '<html>oops</html>' }));
    expect((await failure(client({ maxRetries: 0 }).tv(1399))).kind).toBe('server');
  });

  it('keeps odd values out: empty dates, zero runtimes and null paths become null', async () => {
    fake.use(
      always({
        status: 200,
        body: {
          id: 5,
          poster_path: null,
          release_date: '',
          runtime: 0,
          popularity: -1,
          original_language: 'xx-toolong-code',
        },
      }),
    );
    expect(await client().movie(5)).toMatchObject({
      poster_path: null,
      release_date: null,
      runtime: null,
      popularity: null,
      original_language: null,
    });
  });

  it('merges identical concurrent requests into one', async () => {
    fake.use(slow(100));
    const tmdb = client();
    const answers = await Promise.all([tmdb.movie(11), tmdb.movie(11), tmdb.movie(11), tmdb.tv(1399), tmdb.tv(1399)]);
    expect(answers.map((a) => a.id)).toEqual([11, 11, 11, 1399, 1399]);
    expect(fake.requests).toHaveLength(2);
    await tmdb.movie(11); // finished requests are not cached: a later call asks again
    expect(fake.requests).toHaveLength(3);
  });

  it('keeps any one-second window under the rate limit, measured at the server', async () => {
    const perSecond = 20;
    const tmdb = client({ limiter: createRateLimiter({ perSecond }) });
    const count = 50;
    await Promise.all(Array.from({ length: count }, (_, i) => tmdb.tv(i + 1).catch(() => null)));
    const times = fake.requests.map((r) => r.at).sort((a, b) => a - b);
    expect(times.length).toBeGreaterThanOrEqual(count);
    let worst = 0;
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= (times[i] as number) && t < (times[i] as number) + 1000).length;
      worst = Math.max(worst, inWindow);
    }
    expect(worst).toBeLessThanOrEqual(perSecond);
    // ...and uses it: 50 requests at 20/s take about two and a half seconds, not much more.
    const span = (times.at(-1) as number) - (times[0] as number);
    expect(span).toBeGreaterThanOrEqual(2400);
    expect(span).toBeLessThan(4500);
  }, 10_000);

  it('opens the circuit while TMDB is down and closes it after a good trial request', async () => {
    let clock = 0;
    const breaker = createCircuitBreaker({ threshold: 3, cooldownMs: 1000, now: () => clock });
    const events: TmdbCallEvent[] = [];
    const tmdb = client({ breaker, maxRetries: 1, observe: (e) => events.push(e) });
    fake.use(down);
    expect((await failure(tmdb.movie(11))).kind).toBe('network');
    // The third failure opens the circuit: the retry after it never leaves.
    const opened = await failure(tmdb.movie(12));
    expect(opened.kind).toBe('unavailable');
    expect(opened.message).toContain('network error');
    expect(breaker.state()).toBe('open');
    const reached = fake.requests.length;
    expect(reached).toBe(3);

    const fast = performance.now();
    expect((await failure(tmdb.movie(13))).kind).toBe('unavailable');
    expect(performance.now() - fast).toBeLessThan(50);
    expect(fake.requests).toHaveLength(reached);
    expect(events.at(-1)).toMatchObject({ outcome: 'circuit_open' });

    clock += 1000; // half-open: one trial
    expect(breaker.state()).toBe('half-open');
    fake.use(null);
    expect((await tmdb.movie(11)).id).toBe(11);
    expect(breaker.state()).toBe('closed');
  });

  it('re-opens at once when the half-open trial fails', async () => {
    let clock = 0;
    const breaker = createCircuitBreaker({ threshold: 2, cooldownMs: 1000, now: () => clock });
    const tmdb = client({ breaker, maxRetries: 0 });
    fake.use(failFirst(100, 503));
    await failure(tmdb.movie(1));
    await failure(tmdb.movie(2));
    clock += 1000;
    const trial = await failure(tmdb.movie(3));
    expect(trial.kind).toBe('unavailable');
    expect(trial.message).toContain('HTTP 503');
    expect(breaker.state()).toBe('open');
    expect(fake.requests).toHaveLength(3);
    expect((await failure(tmdb.movie(4))).kind).toBe('unavailable');
  });
});
