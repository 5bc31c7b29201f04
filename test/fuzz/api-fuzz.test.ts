/**
 * Every documented route (server/openapi/api-routes.ts) fuzzed with generated bad input, on
 * both dialects, with and without the admin token: the answer is never a 5xx, and every
 * error from the JSON API is the {error, code} shape. FUZZ_RUNS raises the runs per route
 * (default 30; the suite stays well under a minute).
 */
import fc from 'fast-check';
import type { Hono } from 'hono';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import type { createMemoryLogger } from '../../server/logger.ts';
import { API_ROUTES, type ApiRoute, isDocumentedPath } from '../../server/openapi/api-routes.ts';
import { TEST_TOKEN } from '../app.ts';
import { describeEachDialect } from '../databases.ts';
import { badBody, queryString, urlPart } from './arbitraries.ts';
import { createFullApp } from './full-app.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const admin = `Bearer ${TEST_TOKEN}`;

const propertyNames = (schema: z.ZodType | undefined) =>
  schema
    ? Object.keys(
        (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: object }).properties ?? {},
      )
    : [];

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

function requestFor(route: ApiRoute, knownIds: number[]) {
  const params = Object.keys(route.params ?? {});
  const hasBody = route.method === 'post' || route.method === 'put';
  return fc
    .record({
      values: fc.tuple(...params.map(() => fc.oneof(urlPart, fc.constantFrom(...knownIds.map(String))))),
      query: queryString([...propertyNames(route.query), ...params]),
      body: hasBody ? fc.option(badBody(propertyNames(route.body)), { nil: undefined }) : fc.constant(undefined),
      asOwner: fc.boolean(),
      method: fc.oneof(
        { weight: 8, arbitrary: fc.constant(route.method.toUpperCase()) },
        { weight: 1, arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS') },
      ),
    })
    .map(({ values, query, body, asOwner, method }): Sent => {
      let path = route.path;
      params.forEach((name, i) => {
        path = path.replace(`:${name}`, values[i] as string);
      });
      const headers: Record<string, string> = {};
      if (asOwner) headers.authorization = admin;
      const withBody = body && method !== 'GET' && method !== 'HEAD';
      if (withBody && body.contentType) headers['content-type'] = body.contentType;
      return { method, url: `${path}${query}`, headers, body: withBody ? body.text : undefined };
    });
}

async function send(app: Hono, sent: Sent) {
  let request: Request;
  try {
    request = new Request(`http://localhost${sent.url}`, {
      method: sent.method,
      headers: sent.headers,
      body: sent.body,
    });
  } catch {
    return null; // Not a request a client could send (the URL does not parse): nothing to test.
  }
  return app.request(request);
}

async function expectSaneAnswer(response: Response, sent: Sent) {
  const where = `${sent.method} ${sent.url.slice(0, 200)} ${sent.body?.slice(0, 100) ?? ''}`;
  expect(response.status, where).toBeLessThan(500);
  const path = new URL(`http://localhost${sent.url}`).pathname;
  const machine = path.startsWith('/api/') || path === '/metrics' || path === '/healthz';
  if (machine && response.status >= 400 && sent.method !== 'HEAD') {
    expect(response.headers.get('content-type'), where).toMatch(/^application\/json/);
    const body = await response.json();
    expect(typeof body.error, where).toBe('string');
    expect(body.code, where).toMatch(/^[a-z_]+\.[a-z_.]+$/);
  } else if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    // A live event stream never ends by itself: hang up, as a browser leaving the page does.
    await response.body?.cancel();
  } else {
    await response.arrayBuffer();
  }
}

describeEachDialect('fuzzing every route with bad input', (dialect) => {
  let full: Awaited<ReturnType<typeof createFullApp>>;
  let app: Hono;
  let log: ReturnType<typeof createMemoryLogger>;
  const knownIds: number[] = [];

  beforeAll(async () => {
    // The limiter would answer most of the run with 429 and hide the routes behind it.
    full = await createFullApp(dialect, { rateLimitPerMinute: 0 });
    app = full.app;
    log = full.log;
    const post = async (path: string, body: unknown) => {
      const res = await app.request(path, {
        method: 'POST',
        headers: { authorization: admin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, path).toBe(201);
      return res.json();
    };
    const movie = await post('/api/movies', { display_name: 'Fuzz Movie', start_year: 1999, genres: ['Drama'] });
    const show = await post('/api/shows', { display_name: 'Fuzz Show', start_year: 2001 });
    const season = await post(`/api/shows/${show.show_id}/seasons`, { season_number: 1 });
    const episode = await post(`/api/seasons/${season.season_id}/episodes`, { episode_number: 1 });
    knownIds.push(movie.movie_id, movie.title_id, show.show_id, show.title_id, season.season_id, episode.episode_id);
  });
  afterAll(() => full.close());

  for (const route of API_ROUTES) {
    it(`${route.method.toUpperCase()} ${route.path}: no 5xx, errors as {error, code}`, async () => {
      log.lines.length = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constant(null).chain(() => requestFor(route, knownIds)),
          async (sent) => {
            const response = await send(app, sent);
            if (response) await expectSaneAnswer(response, sent);
          },
        ),
        { numRuns: RUNS },
      );
      expect(log.lines.filter((line) => line.startsWith('ERROR'))).toEqual([]);
    });
  }

  it('every page route (GET, as a visitor and as the owner) answers bad input without a 5xx', async () => {
    const pages = app.routes.filter(
      (r) => r.method === 'GET' && !isDocumentedPath(r.path) && !r.path.startsWith('/static') && r.path !== '/*',
    );
    expect(pages.length).toBeGreaterThan(5);
    const pageQuery = queryString([
      'q',
      'type',
      'lang',
      'page',
      'per_page',
      'genre',
      'sort',
      'country',
      'next',
      'token',
    ]);
    for (const page of pages) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(urlPart, { minLength: 3, maxLength: 3 }),
          pageQuery,
          fc.boolean(),
          async (values, query, asOwner) => {
            let i = 0;
            const url = page.path.replace(/:\w+/g, () => values[i++] as string) + query;
            const sent = {
              method: 'GET',
              url,
              headers: asOwner ? { authorization: admin } : ({} as Record<string, string>),
            };
            const response = await send(app, sent);
            if (!response) return;
            expect(response.status, `GET ${url.slice(0, 200)}`).toBeLessThan(500);
            await response.arrayBuffer();
          },
        ),
        { numRuns: Math.max(5, Math.round(RUNS / 3)) },
      );
    }
  });

  it('unknown paths and methods under /api answer a JSON 404 or 405-like 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(urlPart, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE'),
        async (segments, method) => {
          const sent = { method, url: `/api/${segments.join('/')}`, headers: {} };
          const response = await send(app, sent);
          if (response) await expectSaneAnswer(response, sent);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
