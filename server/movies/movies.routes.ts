import type { Hono, MiddlewareHandler } from 'hono';
import { notFound } from '../http/errors.ts';
import { parseId, parseQuery } from '../http/validation.ts';
import type { MoviesRepository } from '../titles/kinds.repository.ts';
import { registerKindWriteRoutes } from '../titles/kinds.routes.ts';
import { movieJson } from '../titles/titles.json.ts';
import { detailQuery } from '../titles/titles.schemas.ts';

export function registerMoviesRoutes(
  api: Hono,
  { movies, requireAdmin }: { movies: MoviesRepository; requireAdmin: MiddlewareHandler },
) {
  api.get('/movies/:id', async (c) => {
    const id = parseId(c);
    parseQuery(c, detailQuery);
    const movie = await movies.findById(id);
    if (!movie) throw notFound('movies', 'movie');
    return c.json(movieJson(movie));
  });

  registerKindWriteRoutes(api, { kind: 'movie', repository: movies, requireAdmin, toJson: movieJson });
}
