/**
 * Every machine-facing route (the JSON API, /healthz, /metrics) described once, with the
 * same zod schemas the handlers validate with: the OpenAPI document is generated from this
 * list, the fuzz suite attacks every entry, and a test checks it against the routes the app
 * really registers, so a route added without an entry here fails the build.
 */
import type { z } from 'zod';
import { carouselsQuery, discoverQuery } from '../discover/discover.schemas.ts';
import { JOB_KINDS } from '../jobs/job-children.ts';
import { historyQuery, startBody } from '../jobs/jobs.routes.ts';
import { tmdbSettingsBody } from '../settings/settings.schemas.ts';
import { episodePatchBody, newEpisodeBody, seasonBody } from '../shows/shows.schemas.ts';
import { detailQuery, newKindBody, newTitleBody, titlePatchBody, titleSearchQuery } from '../titles/titles.schemas.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

export interface ApiRoute {
  method: HttpMethod;
  /** Hono's pattern, as registered: `/api/titles/:id`. */
  path: string;
  summary: string;
  tag: string;
  /** Path parameters and what each is. Ids are positive integers unless `textParams` names them. */
  params?: Record<string, string>;
  /** Path parameters that take any text (a slug or an id). */
  textParams?: string[];
  query?: z.ZodType;
  body?: z.ZodType;
  /** The body may be left out altogether. */
  bodyOptional?: boolean;
  /** The success status and what its body is. */
  ok: { status: 200 | 201 | 202 | 204; description: string; contentType?: string };
  /** Needs the owner (admin token). */
  admin?: boolean;
  /** Can answer 404 for a missing record. */
  notFound?: boolean;
  /** Can answer 409 for a duplicate. */
  conflict?: boolean;
}

const id = (what: string) => ({ id: `the ${what}'s id` });

function recordRoutes(
  tag: string,
  base: string,
  what: string,
  bodies: { create?: z.ZodType; update: z.ZodType; createPath?: string },
): ApiRoute[] {
  const routes: ApiRoute[] = [];
  if (bodies.create) {
    routes.push({
      method: 'post',
      path: bodies.createPath ?? base,
      summary: `Create a ${what}`,
      tag,
      body: bodies.create,
      ok: { status: 201, description: `the new ${what}; Location names it` },
      admin: true,
      conflict: true,
    });
  }
  routes.push(
    {
      method: 'put',
      path: `${base}/:id`,
      summary: `Change a ${what} (only the fields sent)`,
      tag,
      params: id(what),
      body: bodies.update,
      ok: { status: 200, description: `the changed ${what}` },
      admin: true,
      notFound: true,
      conflict: true,
    },
    {
      method: 'delete',
      path: `${base}/:id`,
      summary: `Delete a ${what}`,
      tag,
      params: id(what),
      ok: { status: 204, description: 'deleted' },
      admin: true,
      notFound: true,
    },
  );
  return routes;
}

const detail = (tag: string, path: string, what: string, description: string, query?: z.ZodType): ApiRoute => ({
  method: 'get',
  path,
  summary: `Get a ${what}`,
  tag,
  params: id(what),
  query,
  ok: { status: 200, description },
  notFound: true,
});

export const API_ROUTES: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/titles',
    summary: 'Search titles',
    tag: 'titles',
    query: titleSearchQuery,
    ok: { status: 200, description: '{titles, total, page, per_page, total_pages, languages[{code, count}]}' },
  },
  detail('titles', '/api/titles/:id', 'title', 'Title', detailQuery),
  ...recordRoutes('titles', '/api/titles', 'title', { create: newTitleBody, update: titlePatchBody() }),

  detail('movies', '/api/movies/:id', 'movie', '{movie_id, title_id, title: Title}', detailQuery),
  ...recordRoutes('movies', '/api/movies', 'movie', { create: newKindBody('movie'), update: titlePatchBody('movie') }),

  detail(
    'shows',
    '/api/shows/:id',
    'show',
    '{show_id, title_id, title, seasons (with episodes), is_series_finished}',
    detailQuery,
  ),
  ...recordRoutes('shows', '/api/shows', 'show', { create: newKindBody('show'), update: titlePatchBody('show') }),
  {
    method: 'get',
    path: '/api/shows/:id/seasons',
    summary: "List a show's seasons",
    tag: 'shows',
    params: id('show'),
    ok: { status: 200, description: 'Season[] without episodes' },
    notFound: true,
  },

  detail('seasons', '/api/seasons/:id', 'season', 'Season with episodes'),
  ...recordRoutes('seasons', '/api/seasons', 'season', { update: seasonBody }),
  {
    method: 'post',
    path: '/api/shows/:id/seasons',
    summary: 'Add a season to a show',
    tag: 'seasons',
    params: id('show'),
    body: seasonBody,
    ok: { status: 201, description: 'the new Season; Location names it' },
    admin: true,
    notFound: true,
    conflict: true,
  },
  {
    method: 'get',
    path: '/api/seasons/:id/episodes',
    summary: "List a season's episodes",
    tag: 'seasons',
    params: id('season'),
    ok: { status: 200, description: 'Episode[]' },
    notFound: true,
  },

  detail('episodes', '/api/episodes/:id', 'episode', 'Episode'),
  ...recordRoutes('episodes', '/api/episodes', 'episode', { update: episodePatchBody }),
  {
    method: 'post',
    path: '/api/seasons/:id/episodes',
    summary: 'Add an episode to a season',
    tag: 'episodes',
    params: id('season'),
    body: newEpisodeBody,
    ok: { status: 201, description: 'the new Episode; Location names it' },
    admin: true,
    notFound: true,
    conflict: true,
  },

  {
    method: 'get',
    path: '/api/discover',
    summary: 'Browse titles by genre, type, language, country, year, rating and votes',
    tag: 'discover',
    query: discoverQuery,
    ok: { status: 200, description: '{titles: DiscoverTitle[], total, page, per_page}' },
  },
  {
    method: 'get',
    path: '/api/discover/carousels',
    summary: 'The home carousels: active collections with their first titles',
    tag: 'discover',
    query: carouselsQuery,
    ok: { status: 200, description: '{carousels[], total, page, per_page}' },
  },
  {
    method: 'get',
    path: '/api/collections',
    summary: 'List active collections (pinned first, then by engagement)',
    tag: 'collections',
    ok: { status: 200, description: 'Collection[]' },
  },
  {
    method: 'get',
    path: '/api/collections/:key',
    summary: 'Get a collection and its titles',
    tag: 'collections',
    params: { key: "the collection's slug or id" },
    textParams: ['key'],
    query: detailQuery,
    ok: { status: 200, description: '{collection, titles: DiscoverTitle[], total}' },
    notFound: true,
  },

  {
    method: 'post',
    path: '/api/admin/sign-in-tokens',
    summary: 'Mint a one-time sign-in link into the dashboard (bearer token only)',
    tag: 'admin',
    ok: { status: 201, description: '{token, path, expires_in}' },
    admin: true,
  },
  {
    method: 'post',
    path: '/api/admin/token/rotate',
    summary: 'Replace the admin token (shown once); every session ends',
    tag: 'admin',
    ok: { status: 200, description: '{token, note}' },
    conflict: true,
    admin: true,
  },

  {
    method: 'get',
    path: '/api/admin/jobs',
    summary: 'Running jobs, the last of each kind, and the sync history',
    tag: 'jobs',
    query: historyQuery,
    ok: { status: 200, description: '{running, last, history}' },
    admin: true,
  },
  {
    method: 'get',
    path: '/api/admin/jobs/events',
    summary: 'Live job events (server-sent events: snapshot, then started, progress, log, finished)',
    tag: 'jobs',
    ok: { status: 200, description: 'an event stream', contentType: 'text/event-stream' },
    admin: true,
  },
  {
    method: 'post',
    path: '/api/admin/jobs/:kind',
    summary: 'Start a job (409 when one of that kind runs)',
    tag: 'jobs',
    params: { kind: `the job kind: ${JOB_KINDS.join(' or ')}` },
    textParams: ['kind'],
    body: startBody,
    bodyOptional: true,
    ok: { status: 202, description: 'the started job' },
    admin: true,
    notFound: true,
    conflict: true,
  },
  {
    method: 'post',
    path: '/api/admin/jobs/:kind/cancel',
    summary: 'Cancel the running job of a kind (409 when none runs)',
    tag: 'jobs',
    params: { kind: `the job kind: ${JOB_KINDS.join(' or ')}` },
    textParams: ['kind'],
    ok: { status: 202, description: 'the job, now cancelling' },
    admin: true,
    notFound: true,
    conflict: true,
  },
  {
    method: 'get',
    path: '/api/admin/settings/tmdb',
    summary: 'TMDB enrichment settings: on or off, configured, where the key comes from (never the key)',
    tag: 'settings',
    ok: { status: 200, description: 'TMDB status' },
    admin: true,
  },
  {
    method: 'put',
    path: '/api/admin/settings/tmdb',
    summary: 'Turn TMDB on or off, set or clear its key or token',
    tag: 'settings',
    body: tmdbSettingsBody,
    ok: { status: 200, description: 'TMDB status' },
    admin: true,
  },

  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    tag: 'meta',
    ok: { status: 200, description: 'OpenAPI 3.1 description of the API' },
  },
  {
    method: 'get',
    path: '/api/docs',
    summary: 'Interactive API documentation (HTML)',
    tag: 'meta',
    ok: { status: 200, description: 'an HTML page', contentType: 'text/html' },
  },
  {
    method: 'get',
    path: '/healthz',
    summary: 'Health check: 200 when the database answers, 503 when not',
    tag: 'meta',
    ok: { status: 200, description: '{status, database, catalogue}' },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (owner only unless METRICS_PUBLIC=on)',
    tag: 'meta',
    ok: { status: 200, description: 'Prometheus text format', contentType: 'text/plain' },
    admin: true,
  },
];

/** Hono's `/api/titles/:id` as OpenAPI's `/api/titles/{id}`. */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z_]\w*)/g, '{$1}');

/** Routes outside this registry that the app serves on purpose: pages and static files. */
export const isDocumentedPath = (path: string) =>
  path === '/healthz' || path === '/metrics' || path === '/api' || path.startsWith('/api/');
