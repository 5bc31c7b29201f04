/**
 * Cheap correctness checks after an import, so a broken import cannot look fast: the live
 * tables' counts must be non-zero and agree with what the importer says it did. The bench's
 * databases hold IMDb rows only, so every count equals the importer's "present" figure.
 */
import { sql } from 'drizzle-orm';
import type { DatabaseTarget } from '../../server/config.ts';
import { openDatabase } from '../../server/db/dialect.ts';
import type { ImportStats, StageStats } from '../../server/imdb/stats.ts';
import { BenchCheckError } from '../shared/bench-check-error.ts';

export interface Counts {
  titles: number;
  movies: number;
  shows: number;
  seasons: number;
  episodes: number;
  titleGenres: number;
  rated: number;
}

export async function countCatalogue(target: DatabaseTarget): Promise<Counts> {
  const db = await openDatabase(target, { migrate: false, poolSize: 1 });
  try {
    const row = await db.sql.get<Record<keyof Counts, number | string>>(sql`SELECT
      (SELECT count(*) FROM titles) AS titles,
      (SELECT count(*) FROM movies) AS movies,
      (SELECT count(*) FROM shows) AS shows,
      (SELECT count(*) FROM show_seasons) AS seasons,
      (SELECT count(*) FROM show_episodes) AS episodes,
      (SELECT count(*) FROM title_genres) AS "titleGenres",
      (SELECT count(*) FROM titles WHERE num_votes IS NOT NULL) AS rated`);
    if (!row) throw new BenchCheckError('the count query returned nothing');
    return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])) as unknown as Counts;
  } finally {
    await db.close();
  }
}

/**
 * Throws unless the database matches the stats. `before` is the catalogue the import ran on
 * (null: an empty database, so everything present must have been inserted).
 */
export function checkCounts(counts: Counts, stats: ImportStats, before: Counts | null): string[] {
  const { titles, seasons, episodes, titleGenres, ratings } = stats.stages;
  // What the stage found in the files and left in the live tables, new, changed or not.
  const present = (s: StageStats) => s.inserted + s.updated + s.unchanged;
  const expect: [string, number, number][] = [
    ['titles = titles present in the files', counts.titles, present(titles)],
    ['movies + shows = titles', counts.movies + counts.shows, counts.titles],
    ['episodes = episodes placed', counts.episodes, present(episodes)],
    ['title-genre links = links in the files', counts.titleGenres, present(titleGenres)],
    ['rated titles = ratings of catalogue titles', counts.rated, present(ratings)],
  ];
  if (before === null) {
    expect.push(
      ['titles = titles inserted', counts.titles, titles.inserted],
      ['seasons = seasons inserted', counts.seasons, seasons.inserted],
      ['episodes = episodes inserted', counts.episodes, episodes.inserted],
      ['title-genre links = links inserted', counts.titleGenres, titleGenres.inserted],
      ['rated titles = titles inserted with a rating', counts.rated, ratings.inserted],
    );
  } else {
    expect.push([
      'titles = before + inserted - removed',
      counts.titles,
      before.titles + titles.inserted - titles.removed,
    ]);
  }
  const failures = expect
    .filter(([, got, want]) => got !== want)
    .map(([what, got, want]) => `${what}: ${got} ≠ ${want}`);
  for (const [name, value] of Object.entries(counts)) {
    if (value <= 0) failures.push(`no ${name} at all`);
  }
  if (failures.length > 0) throw new BenchCheckError(`the import's result is wrong:\n  ${failures.join('\n  ')}`);
  return expect.map(([what]) => what);
}
