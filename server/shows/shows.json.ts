/** The original consumer interface's Show, Season and Episode shapes, field for field. */
import { compact, publicImageUrl } from '../http/json.ts';
import type { KindRecord } from '../titles/kinds.repository.ts';
import { titleJson } from '../titles/titles.json.ts';
import type { EpisodeRecord } from './episodes.repository.ts';
import { isSeasonFinished, isSeriesFinished } from './season-status.ts';
import type { SeasonRow, SeriesProgress } from './seasons.repository.ts';

export function episodeJson(e: EpisodeRecord) {
  return compact({
    episode_id: e.episode_id,
    season_id: e.season_id,
    episode_number: e.episode_number,
    imdb_id: e.imdb_id,
    display_name: e.display_name,
    image_url: publicImageUrl(e.image_url),
    air_date: e.air_date,
    runtime_minutes: e.runtime_minutes,
    synopsis: e.synopsis,
  });
}

/** A season; `episodes` is left out where the endpoint does not load them (season lists). */
export function seasonJson(season: SeasonRow, series: SeriesProgress, episodes?: EpisodeRecord[]) {
  return {
    season_id: season.season_id,
    show_id: season.show_id,
    season_number: season.season_number,
    ...(episodes && { episodes: episodes.map(episodeJson) }),
    is_season_finished: isSeasonFinished(season.season_number, series),
  };
}

/** A show with every season and episode, from rows loaded in a fixed number of queries. */
export function showJson(show: KindRecord, seasons: SeasonRow[], episodes: EpisodeRecord[]) {
  const bySeason = new Map<number, EpisodeRecord[]>(seasons.map((s) => [s.season_id, []]));
  for (const episode of episodes) bySeason.get(episode.season_id)?.push(episode);
  const series: SeriesProgress = {
    end_year: show.title.end_year,
    max_season: seasons.reduce<number | null>(
      (max, s) => (max === null || s.season_number > max ? s.season_number : max),
      null,
    ),
  };
  return {
    show_id: show.id,
    title_id: show.title_id,
    title: titleJson(show.title),
    seasons: seasons.map((s) => seasonJson(s, series, bySeason.get(s.season_id))),
    is_series_finished: isSeriesFinished(show.title.end_year),
  };
}
