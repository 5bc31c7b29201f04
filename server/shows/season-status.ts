/**
 * The original's derived flags. A series is finished once it has an end year; a season is
 * finished when its series is, or when a later season exists.
 */
import type { SeriesProgress } from './seasons.repository.ts';

export const isSeriesFinished = (endYear: number | null): boolean => endYear !== null;

export function isSeasonFinished(seasonNumber: number, series: SeriesProgress): boolean {
  if (isSeriesFinished(series.end_year)) return true;
  return series.max_season !== null && seasonNumber < series.max_season;
}
