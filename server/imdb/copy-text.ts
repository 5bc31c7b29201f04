/**
 * Rows as PostgreSQL COPY text: tab-separated, \N for null, backslash, tab, CR and LF
 * escaped. The importer streams these into staging; the import benchmark's raw floor uses
 * the same lines so both measure the same bytes.
 */
import type { BasicsRow, EpisodeNameRow, EpisodeRow, RatingRow } from './imdb-files.ts';

export async function* copyLines<Row>(
  batches: AsyncIterable<Row[]>,
  line: (row: Row) => string,
): AsyncGenerator<string> {
  for await (const rows of batches) {
    let chunk = '';
    for (const row of rows) chunk += line(row);
    yield chunk;
  }
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const text = (value: string | null) =>
  value === null ? '\\N' : NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] ?? c) : value;
const int = (value: number | null) => (value === null ? '\\N' : String(value));

export function basicsLine(row: BasicsRow): string {
  if (row.kind === 'episode') return `${row.imdbId}\tepisode\t${text(row.displayName)}\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n`;
  const genres = row.genres.length > 0 ? text(row.genres.join(',')) : '\\N';
  return `${row.imdbId}\t${row.kind}\t${text(row.displayName)}\t${text(row.originalTitle)}\t${int(row.startYear)}\t${int(
    row.endYear,
  )}\t${int(row.runtimeMinutes)}\t${text(row.searchName)}\t${genres}\n`;
}

const episodeFields = (row: EpisodeRow) => `${row.imdbId}\t${row.parentImdbId}\t${row.season}\t${row.episode}`;
export const episodeLine = (row: EpisodeRow) => `${episodeFields(row)}\n`;
export const ratingLine = (row: RatingRow) => `${row.imdbId}\t${row.averageRating}\t${row.numVotes}\n`;

/** An episode with its name, or NULL when it is looked up later (stage-aside.pg.ts). */
export const namedEpisodeLine = (row: EpisodeRow, name: string | null) => `${episodeFields(row)}\t${text(name)}\n`;
export const episodeNameLine = (row: EpisodeNameRow) => `${row.imdbId}\t${text(row.displayName)}\n`;
