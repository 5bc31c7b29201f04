import type { Hono, MiddlewareHandler } from 'hono';
import type { EngagementRecorder } from '../engagement/engagement.recorder.ts';
import { notFound } from '../http/errors.ts';
import { parseId, parseQuery } from '../http/validation.ts';
import type { MoviesRepository } from '../titles/kinds.repository.ts';
import { registerKindWriteRoutes } from '../titles/kinds.routes.ts';
import { movieJson } from '../titles/titles.json.ts';
import { detailQuery } from '../titles/titles.schemas.ts';

export function registerMoviesRoutes(
  api: Hono,
  {
    movies,
    requireAdmin,
    engagement,
  }: { movies: MoviesRepository; requireAdmin: MiddlewareHandler; engagement: EngagementRecorder },
) {
  api.get('/movies/:id', async (c) => {
    const id = parseId(c);
    const { source } = parseQuery(c, detailQuery);
    const movie = await movies.findById(id);
    if (!movie) throw notFound('movies', 'movie');
    engagement.recordView(movie.title_id, source);
    return c.json(movieJson(movie));
  });

  registerKindWriteRoutes(api, { kind: 'movie', repository: movies, requireAdmin, toJson: movieJson });
}
