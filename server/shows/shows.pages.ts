/**
 * /shows/:id: the show with every season and episode. Loaded and shaped exactly as
 * GET /api/shows/:id does (three queries, two round trips, showJson), so the finished flags
 * and fields are the API's.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { EngagementRecorder } from '../engagement/engagement.recorder.ts';
import { notFound } from '../http/errors.ts';
import { intParam, parseId, parseQuery } from '../http/validation.ts';
import type { Views } from '../http/views.ts';
import type { ShowsRepository } from '../titles/kinds.repository.ts';
import { detailQuery } from '../titles/titles.schemas.ts';
import { noOnDemandEnrichment, type OnDemandEnrichment } from '../tmdb/on-demand.ts';
import type { EpisodesRepository } from './episodes.repository.ts';
import type { SeasonsRepository } from './seasons.repository.ts';
import { showJson } from './shows.json.ts';

export interface ShowsPagesDeps {
  shows: ShowsRepository;
  seasons: SeasonsRepository;
  episodes: EpisodesRepository;
  views: Views;
  engagement: EngagementRecorder;
  /** TMDB data the show or its episodes lack, fetched within a small budget. */
  enrichment?: OnDemandEnrichment;
}

/** Up to this many episodes a show's page lists them all; above, one season at a time. */
export const FULL_LIST_MAX_EPISODES = 1000;

const seasonQuery = z.object({
  season: z.preprocess((v) => (v === '' ? undefined : v), intParam(0, 1_000_000)),
});

export function registerShowsPages(
  app: Hono,
  { shows, seasons, episodes, views, engagement, enrichment = noOnDemandEnrichment }: ShowsPagesDeps,
) {
  app.get('/shows/:id', async (c) => {
    const id = parseId(c);
    const { source } = parseQuery(c, detailQuery);
    const { season } = parseQuery(c, seasonQuery);
    let show = await shows.findById(id);
    if (!show) throw notFound('shows', 'show');
    engagement.recordView(show.title_id, source ?? 'dashboard');
    if (await enrichment.settle(show.title)) show = (await shows.findById(id)) ?? show;
    const [rows, allEpisodes] = await Promise.all([seasons.rowsByShow(show.id), episodes.listByShow(show.id)]);
    const json = showJson(show, rows, allEpisodes);
    const episodeCount = json.seasons.reduce((n, s) => n + (s.episodes?.length ?? 0), 0);
    if (season !== undefined && !json.seasons.some((s) => s.season_number === season)) {
      throw notFound('seasons', 'season');
    }
    return views.render(c, 'shows/detail', {
      section: 'titles',
      title: json.title.display_name,
      show: json,
      episodeCount,
      // A daily soap's thousands of episodes would be megabytes of HTML: list one season's.
      oneSeason: episodeCount > FULL_LIST_MAX_EPISODES,
      openSeason: season ?? json.seasons.at(-1)?.season_number ?? null,
    });
  });
}
