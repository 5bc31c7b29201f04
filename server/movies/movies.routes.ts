import type { Hono, MiddlewareHandler } from 'hono';
import type { EngagementRecorder } from '../engagement/engagement.recorder.ts';
import { notFound } from '../http/errors.ts';
import { parseId, parseQuery } from '../http/validation.ts';
import type { MoviesRepository } from '../titles/kinds.repository.ts';
import { registerKindWriteRoutes } from '../titles/kinds.routes.ts';
import { movieJson } from '../titles/titles.json.ts';
import { detailQuery } from '../titles/titles.schemas.ts';
import { noOnDemandEnrichment, type OnDemandEnrichment } from '../tmdb/on-demand.ts';

export function registerMoviesRoutes(
  api: Hono,
  {
    movies,
    requireAdmin,
    engagement,
    enrichment = noOnDemandEnrichment,
  }: {
    movies: MoviesRepository;
    requireAdmin: MiddlewareHandler;
    engagement: EngagementRecorder;
    /** TMDB data the movie lacks, fetched within a small budget (stored for the next view otherwise). */
    enrichment?: OnDemandEnrichment;
  },
) {
  api.get('/movies/:id', async (c) => {
    const id = parseId(c);
    const { source } = parseQuery(c, detailQuery);
    let movie = await movies.findById(id);
    if (!movie) throw notFound('movies', 'movie');
    engagement.recordView(movie.title_id, source);
    if (await enrichment.settle(movie.title)) movie = (await movies.findById(id)) ?? movie;
    return c.json(movieJson(movie));
  });

  registerKindWriteRoutes(api, { kind: 'movie', repository: movies, requireAdmin, toJson: movieJson });
}
