/** /movies/:id: the movie page, from the same repository and JSON shaping as GET /api/movies/:id. */
import type { Hono } from 'hono';
import type { EngagementRecorder } from '../engagement/engagement.recorder.ts';
import { notFound } from '../http/errors.ts';
import { parseId, parseQuery } from '../http/validation.ts';
import type { Views } from '../http/views.ts';
import type { MoviesRepository } from '../titles/kinds.repository.ts';
import { movieJson } from '../titles/titles.json.ts';
import { detailQuery } from '../titles/titles.schemas.ts';
import { noOnDemandEnrichment, type OnDemandEnrichment } from '../tmdb/on-demand.ts';

export interface MoviesPagesDeps {
  movies: MoviesRepository;
  views: Views;
  engagement: EngagementRecorder;
  /** TMDB data the movie lacks, fetched within a small budget. */
  enrichment?: OnDemandEnrichment;
}

export function registerMoviesPages(
  app: Hono,
  { movies, views, engagement, enrichment = noOnDemandEnrichment }: MoviesPagesDeps,
) {
  app.get('/movies/:id', async (c) => {
    const id = parseId(c);
    const { source } = parseQuery(c, detailQuery);
    let movie = await movies.findById(id);
    if (!movie) throw notFound('movies', 'movie');
    engagement.recordView(movie.title_id, source ?? 'dashboard');
    if (await enrichment.settle(movie.title)) movie = (await movies.findById(id)) ?? movie;
    const json = movieJson(movie);
    return views.render(c, 'movies/detail', { section: 'titles', title: json.title.display_name, movie: json });
  });
}
