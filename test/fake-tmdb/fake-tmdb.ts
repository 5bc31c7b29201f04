/**
 * A fake TMDB API on 127.0.0.1 (port 0) for tests: serves recorded TMDB answers
 * (recorded.json: the examples of TMDB's own OpenAPI document, shared/data/tmdb/openapi.json)
 * with TMDB's real error bodies, checks the key or token like TMDB does, and records every
 * request. A scenario function can answer any request differently: slow, hanging, 5xx
 * bursts, 429 with Retry-After, malformed bodies, a dropped connection (see scenarios.ts).
 */

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const TMDB_ERRORS = {
  401: { status_code: 7, status_message: 'Invalid API key: You must be granted a valid key.', success: false },
  404: { success: false, status_code: 34, status_message: 'The resource you requested could not be found.' },
  429: {
    status_code: 25,
    status_message: 'Your request count (41) is over the allowed limit of (40).',
    success: false,
  },
  500: { status_code: 11, status_message: 'Internal error: Something went wrong, contact TMDb.', success: false },
  503: {
    status_code: 9,
    status_message: 'Service offline: This service is temporarily offline, try again later.',
    success: false,
  },
} as const;

export type Endpoint = 'find' | 'movie' | 'tv' | 'season' | 'episode' | 'unknown';

export interface FakeRequest {
  /** Path under /3, without the query string, e.g. /tv/1399/season/1. */
  path: string;
  endpoint: Endpoint;
  query: URLSearchParams;
  authorization: string | undefined;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface FakeResponse {
  status?: number;
  body?: unknown;
  /** Sent as is instead of JSON (malformed answers). */
  raw?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Never answer (the client's timeout must fire). */
  hang?: boolean;
  /** Drop the connection without an answer (a network error). */
  destroy?: boolean;
}

/** Returns a response to override the catalogue's answer, or undefined to let it answer. */
export type Scenario = (request: FakeRequest, index: number) => FakeResponse | undefined;

type Json = Record<string, unknown>;

export interface Recorded {
  find: Json;
  movie: Json;
  tv: Json;
  season: Json & { episodes: Json[] };
  episode: Json;
}

export const recorded: Recorded = JSON.parse(
  fs.readFileSync(fileURLToPath(new URL('./recorded.json', import.meta.url)), 'utf8'),
);

/** Star Wars (movie 11) and Game of Thrones (tv 1399, season 1), as TMDB answers them. */
export const KNOWN = {
  movie: { imdbId: 'tt0076759', tmdbId: 11 },
  show: { imdbId: 'tt0944947', tmdbId: 1399 },
} as const;

export function createCatalogue() {
  const find = new Map<string, Json>();
  const movies = new Map<number, Json>();
  const tv = new Map<number, Json>();
  const seasons = new Map<string, Json>();
  const episodes = new Map<string, Json>();
  const emptyFind = {
    movie_results: [],
    person_results: [],
    tv_results: [],
    tv_episode_results: [],
    tv_season_results: [],
  };
  const catalogue = {
    find,
    movies,
    tv,
    seasons,
    episodes,
    addMovie(imdbId: string, body: Json) {
      movies.set(body.id as number, body);
      find.set(imdbId, { ...emptyFind, movie_results: [{ ...body, media_type: 'movie' }] });
    },
    addShow(imdbId: string, body: Json) {
      tv.set(body.id as number, body);
      find.set(imdbId, { ...emptyFind, tv_results: [{ ...body, media_type: 'tv' }] });
    },
    /** A season and each of its episodes under their own episode path. */
    addSeason(tvId: number, season: number, body: Json & { episodes: Json[] }) {
      seasons.set(`${tvId}/${season}`, body);
      for (const e of body.episodes) episodes.set(`${tvId}/${season}/${e.episode_number}`, e);
    },
    addEpisode(tvId: number, season: number, episode: number, body: Json) {
      episodes.set(`${tvId}/${season}/${episode}`, body);
    },
  };
  catalogue.addMovie(KNOWN.movie.imdbId, recorded.movie);
  catalogue.addShow(KNOWN.show.imdbId, recorded.tv);
  catalogue.addSeason(KNOWN.show.tmdbId, 1, recorded.season);
  catalogue.addEpisode(KNOWN.show.tmdbId, 1, 1, recorded.episode);
  // The find example itself: Scream VI by its IMDb id.
  find.set('tt17663992', recorded.find);
  return { ...catalogue, emptyFind };
}

export type Catalogue = ReturnType<typeof createCatalogue>;

function route(path: string, catalogue: Catalogue): { endpoint: Endpoint; body: Json | undefined } {
  let m = /^\/find\/([^/]+)$/.exec(path);
  if (m) return { endpoint: 'find', body: catalogue.find.get(m[1] as string) ?? catalogue.emptyFind };
  m = /^\/movie\/(\d+)$/.exec(path);
  if (m) return { endpoint: 'movie', body: catalogue.movies.get(Number(m[1])) };
  m = /^\/tv\/(\d+)$/.exec(path);
  if (m) return { endpoint: 'tv', body: catalogue.tv.get(Number(m[1])) };
  m = /^\/tv\/(\d+)\/season\/(\d+)$/.exec(path);
  if (m) return { endpoint: 'season', body: catalogue.seasons.get(`${Number(m[1])}/${Number(m[2])}`) };
  m = /^\/tv\/(\d+)\/season\/(\d+)\/episode\/(\d+)$/.exec(path);
  if (m)
    return { endpoint: 'episode', body: catalogue.episodes.get(`${Number(m[1])}/${Number(m[2])}/${Number(m[3])}`) };
  return { endpoint: 'unknown', body: undefined };
}

export interface FakeTmdbOptions {
  /** Accepted v4 read token (Authorization: Bearer) and v3 key (?api_key=). */
  token?: string;
  apiKey?: string;
}

export async function startFakeTmdb({
  token = 'fake-read-token-0123456789',
  apiKey = 'fakeapikey0123456789abcdef012345',
}: FakeTmdbOptions = {}) {
  const catalogue = createCatalogue();
  const requests: FakeRequest[] = [];
  let scenario: Scenario | null = null;
  const hanging = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/3(?=\/)/, '');
    const { endpoint, body } = route(path, catalogue);
    const request: FakeRequest = {
      path,
      endpoint,
      query: url.searchParams,
      authorization: req.headers.authorization,
      at: performance.now(),
    };
    const index = requests.push(request) - 1;
    const send = (answer: FakeResponse) => {
      if (answer.destroy) return void req.socket.destroy();
      if (answer.hang) return void hanging.add(res);
      const reply = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json;charset=utf-8', ...answer.headers });
        res.end(answer.raw ?? JSON.stringify(answer.body ?? {}));
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    };
    const authorized = req.headers.authorization === `Bearer ${token}` || url.searchParams.get('api_key') === apiKey;
    const normal: FakeResponse = !authorized
      ? { status: 401, body: TMDB_ERRORS[401] }
      : body
        ? { status: 200, body }
        : { status: 404, body: TMDB_ERRORS[404] };
    // A scenario's answer replaces what it names: { delayMs } alone answers normally, later.
    send({ ...normal, ...scenario?.(request, index) });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    /** The TMDB_API_URL to configure. */
    url: `http://127.0.0.1:${port}/3`,
    token,
    apiKey,
    catalogue,
    requests,
    use(next: Scenario | null) {
      scenario = next;
    },
    requestsTo(endpoint: Endpoint) {
      return requests.filter((r) => r.endpoint === endpoint);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeTmdb = Awaited<ReturnType<typeof startFakeTmdb>>;
