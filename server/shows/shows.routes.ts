import type { Hono, MiddlewareHandler } from 'hono';
import type { EngagementRecorder } from '../engagement/engagement.recorder.ts';
import { notFound } from '../http/errors.ts';
import { parseBody, parseId, parseQuery } from '../http/validation.ts';
import type { KindRecord, ShowsRepository } from '../titles/kinds.repository.ts';
import { registerKindWriteRoutes } from '../titles/kinds.routes.ts';
import { detailQuery } from '../titles/titles.schemas.ts';
import { noOnDemandEnrichment, type OnDemandEnrichment } from '../tmdb/on-demand.ts';
import type { EpisodesRepository } from './episodes.repository.ts';
import type { SeasonsRepository } from './seasons.repository.ts';
import { seasonJson, showJson } from './shows.json.ts';
import { seasonBody } from './shows.schemas.ts';

export interface ShowsRoutesDeps {
  shows: ShowsRepository;
  seasons: SeasonsRepository;
  episodes: EpisodesRepository;
  requireAdmin: MiddlewareHandler;
  engagement: EngagementRecorder;
  /** TMDB data the show or its episodes lack, fetched within a small budget. */
  enrichment?: OnDemandEnrichment;
}

export function registerShowsRoutes(
  api: Hono,
  { shows, seasons, episodes, requireAdmin, engagement, enrichment = noOnDemandEnrichment }: ShowsRoutesDeps,
) {
  // Three queries in two round trips, however many seasons: the title with its genres,
  // then seasons and episodes side by side.
  const detail = async (show: KindRecord) => {
    const [rows, allEpisodes] = await Promise.all([seasons.rowsByShow(show.id), episodes.listByShow(show.id)]);
    return showJson(show, rows, allEpisodes);
  };

  api.get('/shows/:id', async (c) => {
    const id = parseId(c);
    const { source } = parseQuery(c, detailQuery);
    let show = await shows.findById(id);
    if (!show) throw notFound('shows', 'show');
    engagement.recordView(show.title_id, source);
    if (await enrichment.settle(show.title)) show = (await shows.findById(id)) ?? show;
    return c.json(await detail(show));
  });

  registerKindWriteRoutes(api, { kind: 'show', repository: shows, requireAdmin, toJson: detail });

  api.get('/shows/:id/seasons', async (c) => {
    const list = await seasons.listByShow(parseId(c));
    if (!list) throw notFound('shows', 'show');
    return c.json(list.seasons.map((season) => seasonJson(season, list.series)));
  });

  api.post('/shows/:id/seasons', requireAdmin, async (c) => {
    const showId = parseId(c);
    const { season_number } = await parseBody(c, seasonBody);
    const created = await seasons.create(showId, season_number);
    if (!created) throw notFound('shows', 'show');
    const found = await seasons.findById(created.season_id);
    if (!found) throw notFound('seasons', 'season');
    c.header('Location', `/api/seasons/${created.season_id}`);
    return c.json(seasonJson(found.season, found.series, []), 201);
  });
}
