/** How both fills (fill.pg.ts, fill.sqlite.ts) lay a benchmark title out as a titles row. */
import type { TitleRow } from './data.ts';

/** The titles table's columns as both fills write them; titleValues gives a row in this order. */
export const TITLE_COLUMNS = [
  'id',
  'type',
  'display_name',
  'search_name',
  'start_year',
  'end_year',
  'imdb_id',
  'image_url',
  'num_votes',
  'average_rating',
  'original_language',
  'runtime_minutes',
  'needs_backfill_tmdb',
  'tmdb_popularity',
  'origin_country',
  'release_date',
] as const;

/** One title's values in TITLE_COLUMNS order; each dialect spells a boolean its own way. */
export const titleValues = <B>(t: TitleRow, flag: (value: boolean) => B) => [
  t.id,
  t.type,
  t.displayName,
  t.searchName,
  t.startYear,
  t.endYear,
  t.imdbId,
  t.imageUrl,
  t.numVotes,
  t.averageRating,
  t.originalLanguage,
  t.runtimeMinutes,
  flag(t.needsBackfillTmdb),
  t.tmdbPopularity,
  t.originCountry,
  t.releaseDate,
];
