import type { Hono, MiddlewareHandler } from 'hono';
import { notFound } from '../http/errors.ts';
import { parseBody, parseId } from '../http/validation.ts';
import type { EpisodesRepository } from './episodes.repository.ts';
import type { SeasonsRepository } from './seasons.repository.ts';
import { episodeJson, seasonJson } from './shows.json.ts';
import { episodePatchBody, newEpisodeBody, seasonBody } from './shows.schemas.ts';

export interface SeasonsRoutesDeps {
  seasons: SeasonsRepository;
  episodes: EpisodesRepository;
  requireAdmin: MiddlewareHandler;
}

export function registerSeasonsRoutes(api: Hono, { seasons, episodes, requireAdmin }: SeasonsRoutesDeps) {
  const seasonMissing = () => notFound('seasons', 'season');
  const episodeMissing = () => notFound('episodes', 'episode');

  const seasonWithEpisodes = async (id: number) => {
    const found = await seasons.findById(id);
    if (!found) throw seasonMissing();
    const list = (await episodes.listBySeason(id)) ?? [];
    return seasonJson(found.season, found.series, list);
  };

  api.get('/seasons/:id', async (c) => c.json(await seasonWithEpisodes(parseId(c))));

  api.put('/seasons/:id', requireAdmin, async (c) => {
    const id = parseId(c);
    if (!(await seasons.findById(id))) throw seasonMissing();
    const { season_number } = await parseBody(c, seasonBody);
    if (!(await seasons.update(id, season_number))) throw seasonMissing();
    return c.json(await seasonWithEpisodes(id));
  });

  api.delete('/seasons/:id', requireAdmin, async (c) => {
    if (!(await seasons.delete(parseId(c)))) throw seasonMissing();
    return c.body(null, 204);
  });

  api.get('/seasons/:id/episodes', async (c) => {
    const list = await episodes.listBySeason(parseId(c));
    if (!list) throw seasonMissing();
    return c.json(list.map(episodeJson));
  });

  api.post('/seasons/:id/episodes', requireAdmin, async (c) => {
    const seasonId = parseId(c);
    const episode = await episodes.create(seasonId, await parseBody(c, newEpisodeBody));
    if (!episode) throw seasonMissing();
    c.header('Location', `/api/episodes/${episode.episode_id}`);
    return c.json(episodeJson(episode), 201);
  });

  api.get('/episodes/:id', async (c) => {
    const episode = await episodes.findById(parseId(c));
    if (!episode) throw episodeMissing();
    return c.json(episodeJson(episode));
  });

  api.put('/episodes/:id', requireAdmin, async (c) => {
    const id = parseId(c);
    if (!(await episodes.findById(id))) throw episodeMissing();
    const episode = await episodes.update(id, await parseBody(c, episodePatchBody));
    if (!episode) throw episodeMissing();
    return c.json(episodeJson(episode));
  });

  api.delete('/episodes/:id', requireAdmin, async (c) => {
    if (!(await episodes.delete(parseId(c)))) throw episodeMissing();
    return c.body(null, 204);
  });
}
