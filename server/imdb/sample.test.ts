import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/databases.ts';
import { createRepositories } from '../repositories.ts';
import { importSampleIfEmpty } from './sample.ts';
import { createTestTarget, type TestTarget } from './test-targets.ts';

const TABLES = ['titles', 'movies', 'shows', 'show_seasons', 'show_episodes', 'genres', 'title_genres'] as const;

describeEachDialect('bundled IMDb sample', (dialect) => {
  let testTarget: TestTarget;
  beforeEach(async () => {
    testTarget = await createTestTarget(dialect);
  });
  afterEach(async () => {
    await testTarget.dispose();
  });

  it('imports data/imdb-sample into an empty database, once', async () => {
    const stats = await importSampleIfEmpty({ target: testTarget.target });
    expect(stats).not.toBeNull();
    const db = await testTarget.open();
    try {
      const counts: Record<string, number> = {};
      for (const table of TABLES) {
        const row = await db.sql.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`);
        counts[table] = Number(row?.n);
      }
      const rated = await db.sql.get<{ n: number }>(
        sql`SELECT count(*) AS n FROM titles WHERE average_rating IS NOT NULL`,
      );
      counts.rated_titles = Number(rated?.n);
      console.log(`[${dialect}] sample import counts`, JSON.stringify(counts), `in ${stats?.ms.total} ms`);
      console.log(
        `[${dialect}] sample import skipped`,
        JSON.stringify({
          titles: stats?.stages.titles.skipped,
          episodes: stats?.stages.episodes.skipped,
          ratings: stats?.stages.ratings.skipped,
        }),
      );

      // 2,153 basics lines: 2,010 movies and 5 series, 102 episodes, 36 other types.
      expect(counts).toEqual({
        titles: 2015,
        movies: 2010,
        shows: 5,
        show_seasons: 7,
        show_episodes: 42,
        genres: 25,
        title_genres: 2396,
        rated_titles: 8,
      });
      expect(stats?.stages.titles.skipped).toEqual({ ignoredType: 36 });
      // Most sample episodes belong to series the sample does not contain (The Simpsons).
      expect(stats?.stages.episodes.skipped).toEqual({ nullSeasonOrEpisode: 2, unknownParent: 77 });
      expect(await db.sql.get(sql`SELECT value FROM sync_state WHERE key = 'imdb_catalogue'`)).toEqual({
        value: 'sample',
      });
      const found = await createRepositories(db).titles.search({ q: 'keihasmatkat', limit: 5, offset: 0 });
      expect(found.titles.map((t) => t.imdb_id)).toEqual(['tt10854062']);

      expect(await importSampleIfEmpty({ target: testTarget.target })).toBeNull();
    } finally {
      await db.close();
    }
  });

  it('leaves a database alone once it holds any title, even only the owner’s', async () => {
    const db = await testTarget.open();
    try {
      await createRepositories(db).titles.create({ type: 'movie', display_name: 'My Home Video' });
      expect(await importSampleIfEmpty({ target: testTarget.target })).toBeNull();
      expect(await db.sql.get(sql`SELECT count(*) AS n FROM titles`)).toEqual({ n: 1 });
    } finally {
      await db.close();
    }
  });
});
