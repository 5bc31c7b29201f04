/**
 * Movies and shows: created, changed and deleted the same way, by their own id. Each kind
 * brings its own GET (a movie is its title; a show also has seasons and episodes).
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { notFound } from '../http/errors.ts';
import { parseBody, parseId } from '../http/validation.ts';
import type { KindRecord, KindRepository } from './kinds.repository.ts';
import type { TitleType } from './titles.repository.ts';
import { newKindBody, titlePatchBody } from './titles.schemas.ts';

export interface KindRoutesDeps {
  kind: TitleType;
  repository: KindRepository;
  requireAdmin: MiddlewareHandler;
  /** The JSON a write answers with. */
  toJson: (record: KindRecord) => unknown | Promise<unknown>;
}

export function registerKindWriteRoutes(api: Hono, { kind, repository, requireAdmin, toJson }: KindRoutesDeps) {
  const path = kind === 'movie' ? '/movies' : '/shows';
  const missing = () => notFound(kind === 'movie' ? 'movies' : 'shows', kind);

  api.post(path, requireAdmin, async (c) => {
    const record = await repository.create(await parseBody(c, newKindBody(kind)));
    c.header('Location', `/api${path}/${record.id}`);
    return c.json(await toJson(record), 201);
  });

  api.put(`${path}/:id`, requireAdmin, async (c) => {
    const id = parseId(c);
    if (!(await repository.findById(id))) throw missing();
    const record = await repository.update(id, await parseBody(c, titlePatchBody(kind)));
    if (!record) throw missing();
    return c.json(await toJson(record));
  });

  api.delete(`${path}/:id`, requireAdmin, async (c) => {
    if (!(await repository.delete(parseId(c)))) throw missing();
    return c.body(null, 204);
  });
}
