/** The IMDb import against both dialects, from small gzipped snapshots written inline. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/databases.ts';
import type { Database } from '../db/sql-runner.ts';
import { createRepositories } from '../repositories.ts';
import { importImdbDataset } from './import.ts';
import type { ImportStats } from './stats.ts';
import {
  basicsLine as b,
  type DatasetLines,
  episodeLine as e,
  ratingLine as r,
  truncateFile,
  writeDataset,
} from './test-datasets.ts';
import { useImportFixture } from './test-targets.ts';

/** Day 0: every kind of row the import must handle, including the broken ones. */
const day0 = (): DatasetLines => ({
  basics: [
    b('tt0000001', 'movie', 'The Matrix', { start: 1999, runtime: 136, genres: 'Action,Sci-Fi' }),
    b('tt0000002', 'tvMovie', 'A TV Movie', { start: 2001, genres: 'Drama' }),
    b('tt0000003', 'tvSeries', 'Show One', { start: 2000, end: 2005, runtime: 30, genres: 'Comedy' }),
    b('tt0000004', 'tvMiniSeries', 'Mini', { start: 2010, genres: 'Drama' }),
    b('tt0000005', 'short', 'A Short', { genres: 'Short' }),
    b('tt0000006', 'videoGame', 'A Game'),
    b('tt0000007', 'movie', '"Weird title', { original: '"Weird title' }),
    b('tt0000008', 'movie', 'Becomes Show', { start: 2020 }),
    b('tt0000009', 'tvSeries', 'Show To Remove', { start: 2015 }),
    b('tt0000010', 'movie', 'Steady Movie', { start: 1980, genres: 'Western' }),
    'tt0000011\tmovie\tBroken line',
    'tt0000012\tmovie\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N',
    b('tt0000101', 'tvEpisode', 'Pilot'),
    b('tt0000102', 'tvEpisode', 'Second'),
    b('tt0000103', 'tvEpisode', 'Same slot as Second'),
    b('tt0000104', 'tvEpisode', 'Unplaced'),
    b('tt0000105', 'tvEpisode', 'Orphan'),
    b('tt0000106', 'tvEpisode', 'Doomed episode'),
    b('tt0000107', 'tvEpisode', 'Child of a movie'),
    b('tt0000108', 'tvEpisode', 'Year season'),
  ],
  episodes: [
    e('tt0000101', 'tt0000003', 1, 1),
    e('tt0000102', 'tt0000003', 1, 2),
    e('tt0000103', 'tt0000003', 1, 2),
    e('tt0000104', 'tt0000003', null, null),
    e('tt0000105', 'tt0000999', 1, 1),
    e('tt0000106', 'tt0000009', 1, 1),
    e('tt0000107', 'tt0000001', 1, 1),
    e('tt0000108', 'tt0000004', 1994, 10001),
    e('tt0000109', 'tt0000003', 2, 1),
    'tt0000110\ttt0000003\t1',
  ],
  ratings: [
    r('tt0000001', '8.7', 2_000_000),
    r('tt0000003', '7.5', 1000),
    r('tt0000005', '6.0', 10),
    r('tt0000010', '5.0', 100),
    r('tt0000101', '9.0', 50),
  ],
});

/** Day 1: renames, a re-type, a removal, moved episodes, dropped genres and ratings. */
const day1 = (): DatasetLines => {
  const lines = day0();
  const replace = (list: string[], id: string, line: string | null) => {
    const at = list.findIndex((l) => l.startsWith(`${id}\t`));
    if (line === null) list.splice(at, 1);
    else list[at] = line;
  };
  replace(
    lines.basics,
    'tt0000001',
    b('tt0000001', 'movie', 'The Matrix', { start: 1999, runtime: 136, genres: 'Action' }),
  );
  replace(lines.basics, 'tt0000002', b('tt0000002', 'tvMovie', 'Renamed Movie', { start: 2001, genres: 'Drama' }));
  replace(lines.basics, 'tt0000008', b('tt0000008', 'tvSeries', 'Becomes Show', { start: 2020 }));
  replace(lines.basics, 'tt0000009', null);
  replace(lines.basics, 'tt0000102', b('tt0000102', 'tvEpisode', 'Second, renamed'));
  lines.basics.push(b('tt0000111', 'tvEpisode', 'Wants the owner slot'));
  // Pilot and Second swap slots; S2E1 leaves IMDb, so season 2 empties.
  replace(lines.episodes, 'tt0000101', e('tt0000101', 'tt0000003', 1, 2));
  replace(lines.episodes, 'tt0000102', e('tt0000102', 'tt0000003', 1, 1));
  replace(lines.episodes, 'tt0000109', null);
  lines.episodes.push(e('tt0000111', 'tt0000003', 1, 3));
  replace(lines.ratings, 'tt0000001', r('tt0000001', '8.8', 2_000_100));
  replace(lines.ratings, 'tt0000003', null);
  return lines;
};

// Big files are staged on two threads (stage-aside.ts). These files are tiny, so every test
// runs a second time with the threshold at 0 to take that path too.
const IN_TURN = { label: 'files staged in turn', stageAsideFromBytes: undefined };
const ASIDE = { label: 'episodes and episode names staged on a worker thread', stageAsideFromBytes: 0 };

describeEachDialect('IMDb import', (dialect) => {
  describe.each([IN_TURN, ASIDE])('$label', ({ stageAsideFromBytes }) => {
    const fixture = useImportFixture(dialect, 'files');

    const importLines = async (lines: DatasetLines): Promise<ImportStats> => {
      await writeDataset(fixture.dir, lines);
      return importImdbDataset({ target: fixture.target, dir: fixture.dir, stageAsideFromBytes });
    };
    const title = (imdbId: string) =>
      fixture.db.sql.get<Record<string, unknown>>(sql`SELECT * FROM titles WHERE imdb_id = ${imdbId}`);
    const kindRows = (imdbId: string) =>
      fixture.db.sql.get<{ movies: number; shows: number }>(sql`
      SELECT (SELECT count(*) FROM movies m JOIN titles t ON t.id = m.title_id WHERE t.imdb_id = ${imdbId}) AS movies,
             (SELECT count(*) FROM shows s JOIN titles t ON t.id = s.title_id WHERE t.imdb_id = ${imdbId}) AS shows`);
    const episodesOf = (imdbId: string) =>
      fixture.db.sql.all<{ season: number; episode: number; imdb_id: string | null; display_name: string | null }>(sql`
      SELECT ss.season, se.episode, se.imdb_id, se.display_name FROM show_episodes se
      JOIN show_seasons ss ON ss.id = se.season_id JOIN shows s ON s.id = ss.show_id
      JOIN titles t ON t.id = s.title_id WHERE t.imdb_id = ${imdbId} ORDER BY ss.season, se.episode`);
    const genresOf = async (imdbId: string) =>
      (
        await fixture.db.sql.all<{ name: string }>(sql`
        SELECT g.name FROM title_genres tg JOIN genres g ON g.id = tg.genre_id JOIN titles t ON t.id = tg.title_id
        WHERE t.imdb_id = ${imdbId} ORDER BY g.name`)
      ).map((row) => row.name);
    const count = async (table: string) =>
      Number((await fixture.db.sql.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`))?.n);

    it('maps types, places episodes and counts every row it skips', async () => {
      const stats = await importLines(day0());

      expect(stats.files.basics).toMatchObject({ lines: 20, badRows: 1, badLines: [12] });
      expect(stats.stages.titles).toMatchObject({
        inserted: 9,
        updated: 0,
        removed: 0,
        skipped: { badRows: 1, ignoredType: 2 },
      });
      const types = await fixture.db.sql.all(sql`SELECT type, count(*) AS n FROM titles GROUP BY type ORDER BY type`);
      expect(types).toEqual([
        { type: 'movie', n: 6 },
        { type: 'show', n: 3 },
      ]);
      expect([await count('movies'), await count('shows')]).toEqual([6, 3]);
      expect(await title('tt0000005')).toBeUndefined();
      expect(await kindRows('tt0000002')).toEqual({ movies: 1, shows: 0 });
      expect(await kindRows('tt0000004')).toEqual({ movies: 0, shows: 1 });

      expect(await title('tt0000001')).toMatchObject({
        type: 'movie',
        display_name: 'The Matrix',
        original_title: 'The Matrix',
        search_name: 'the matrix',
        start_year: 1999,
        end_year: null,
        runtime_minutes: 136,
        average_rating: 8.7,
        num_votes: 2_000_000,
      });
      expect(Boolean((await title('tt0000001'))?.needs_backfill_tmdb)).toBe(true);
      expect(await title('tt0000007')).toMatchObject({ display_name: '"Weird title', search_name: '"weird title' });
      expect(await title('tt0000012')).toMatchObject({ display_name: 'tt0000012', start_year: null });
      expect(await genresOf('tt0000001')).toEqual(['Action', 'Sci-Fi']);

      expect(await episodesOf('tt0000003')).toEqual([
        { season: 1, episode: 1, imdb_id: 'tt0000101', display_name: 'Pilot' },
        { season: 1, episode: 2, imdb_id: 'tt0000102', display_name: 'Second' },
        { season: 2, episode: 1, imdb_id: 'tt0000109', display_name: null },
      ]);
      expect(await episodesOf('tt0000004')).toEqual([
        { season: 1994, episode: 10001, imdb_id: 'tt0000108', display_name: 'Year season' },
      ]);
      expect(stats.stages.episodes).toMatchObject({
        inserted: 5,
        skipped: { badRows: 1, duplicates: 1, nullSeasonOrEpisode: 1, unknownParent: 2 },
      });
      // Every season placed has episodes: none counts as unchanged.
      expect(stats.stages.seasons).toMatchObject({ inserted: 4, unchanged: 0 });
      expect(stats.stages.ratings).toMatchObject({ inserted: 3, updated: 0, skipped: { notImported: 2 } });
      expect(await fixture.db.sql.get(sql`SELECT value FROM sync_state WHERE key = 'imdb_catalogue'`)).toEqual({
        value: 'full',
      });
    });

    it('counts bad title.basics lines whichever kind of title they are', async () => {
      const lines = day0();
      // Line 14, after tt0000012: an episode's line one field short.
      lines.basics.splice(12, 0, 'tt0000100\ttvEpisode\tBroken episode');
      const stats = await importLines(lines);
      expect(stats.files.basics).toMatchObject({ lines: 21, badRows: 2, badLines: [12, 14] });
      expect(stats.stages.titles).toMatchObject({ inserted: 9, skipped: { badRows: 2, ignoredType: 2 } });
      expect(stats.stages.episodes.inserted).toBe(5);
      expect((await episodesOf('tt0000003'))[0]).toMatchObject({ imdb_id: 'tt0000101', display_name: 'Pilot' });
    });

    it('leaves an empty catalogue empty when title.episode is truncated', async () => {
      // With a staging thread the merge starts before title.episode is in: its titles roll back.
      const files = await writeDataset(fixture.dir, day0());
      await truncateFile(files.episodes);
      await expect(
        importImdbDataset({ target: fixture.target, dir: fixture.dir, stageAsideFromBytes }),
      ).rejects.toThrow(/title\.episode\.tsv\.gz: the gzip data is truncated/);
      expect([await count('titles'), await count('genres'), await count('show_seasons')]).toEqual([0, 0, 0]);
      expect(await fixture.db.sql.get(sql`SELECT value FROM sync_state WHERE key = 'imdb_catalogue'`)).toBeUndefined();
    });

    it('applies a second snapshot: renames, re-types, removals, moved episodes, genres and ratings', async () => {
      await importLines(day0());
      const repos = createRepositories(fixture.db);
      const owned = await repos.titles.create({ type: 'movie', display_name: 'My Home Video', genres: ['Family'] });
      await repos.titles.update((await title('tt0000001'))?.id as number, {
        genres: ['Action', 'Sci-Fi', 'Owner Picks'],
      });
      await fixture.db.sql.run(sql`UPDATE titles SET needs_backfill_tmdb = ${false} WHERE imdb_id = 'tt0000010'`);
      const seasonOne = await fixture.db.sql.get<{ id: number }>(sql`
      SELECT ss.id FROM show_seasons ss JOIN shows s ON s.id = ss.show_id JOIN titles t ON t.id = s.title_id
      WHERE t.imdb_id = 'tt0000003' AND ss.season = 1`);
      await fixture.db.sql.run(
        sql`INSERT INTO show_episodes (season_id, episode, display_name) VALUES (${seasonOne?.id}, 3, 'Owner episode')`,
      );
      const steadyBefore = await title('tt0000010');
      const matrixBefore = await title('tt0000001');

      const stats = await importLines(day1());

      expect(stats.stages.titles).toMatchObject({ inserted: 0, updated: 2, unchanged: 6, removed: 1, moved: 1 });
      expect(await title('tt0000002')).toMatchObject({ display_name: 'Renamed Movie', search_name: 'renamed movie' });
      expect((await repos.titles.search({ q: 'renamed', limit: 10, offset: 0 })).titles.map((t) => t.imdb_id)).toEqual([
        'tt0000002',
      ]);
      expect((await repos.titles.search({ q: 'a tv movie', limit: 10, offset: 0 })).total).toBe(0);
      expect(String((await title('tt0000002'))?.updated_at) > String(steadyBefore?.updated_at)).toBe(true);
      // Unchanged rows are not rewritten, and what others maintain stays as it is.
      expect(await title('tt0000010')).toEqual(steadyBefore);
      expect((await title('tt0000001'))?.updated_at).toBe(matrixBefore?.updated_at);

      expect(await title('tt0000008')).toMatchObject({ type: 'show' });
      expect(await kindRows('tt0000008')).toEqual({ movies: 0, shows: 1 });
      expect(await title('tt0000009')).toBeUndefined();
      expect(await fixture.db.sql.get(sql`SELECT id FROM show_episodes WHERE imdb_id = 'tt0000106'`)).toBeUndefined();
      expect([await count('shows'), await count('movies')]).toEqual([3, 6]);

      expect(await genresOf('tt0000001')).toEqual(['Action', 'Owner Picks']);
      expect(stats.stages.titleGenres.removed).toBe(1);
      expect(await repos.titles.findById(owned.title_id)).toEqual(owned);

      expect(await title('tt0000001')).toMatchObject({ average_rating: 8.8, num_votes: 2_000_100 });
      expect(await title('tt0000003')).toMatchObject({ average_rating: null, num_votes: null });
      expect(stats.stages.ratings).toMatchObject({ updated: 1, unchanged: 1, removed: 1 });

      expect(await episodesOf('tt0000003')).toEqual([
        { season: 1, episode: 1, imdb_id: 'tt0000102', display_name: 'Second, renamed' },
        { season: 1, episode: 2, imdb_id: 'tt0000101', display_name: 'Pilot' },
        { season: 1, episode: 3, imdb_id: null, display_name: 'Owner episode' },
      ]);
      expect(stats.stages.episodes).toMatchObject({ updated: 2, removed: 1, skipped: { slotTaken: 1 } });
      expect(stats.stages.seasons).toMatchObject({ removed: 1 });
    });

    it("places a first import's episodes in a season the owner made before them", async () => {
      const show = b('tt0000003', 'tvSeries', 'A Show');
      await importLines({ basics: [show], episodes: [], ratings: [] });
      const ownSeason = await fixture.db.sql.get<{ id: number }>(sql`
        INSERT INTO show_seasons (show_id, season)
        SELECT s.id, 2 FROM shows s JOIN titles t ON t.id = s.title_id WHERE t.imdb_id = 'tt0000003' RETURNING id`);

      const stats = await importLines({
        basics: [show, b('tt0000101', 'tvEpisode', 'Pilot'), b('tt0000102', 'tvEpisode', 'Next Year')],
        episodes: [e('tt0000101', 'tt0000003', 1, 1), e('tt0000102', 'tt0000003', 2, 1)],
        ratings: [],
      });

      // The owner's season, with an episode now, counts among those present.
      expect(stats.stages.seasons).toMatchObject({ inserted: 1, unchanged: 1 });
      expect(await episodesOf('tt0000003')).toEqual([
        { season: 1, episode: 1, imdb_id: 'tt0000101', display_name: 'Pilot' },
        { season: 2, episode: 1, imdb_id: 'tt0000102', display_name: 'Next Year' },
      ]);
      const placed = await fixture.db.sql.get<{ season_id: number }>(
        sql`SELECT season_id FROM show_episodes WHERE imdb_id = 'tt0000102'`,
      );
      expect(placed?.season_id).toBe(ownSeason?.id);
      expect(await count('show_seasons')).toBe(2);
    });

    it('changes nothing when the same snapshot is imported again', async () => {
      await importLines(day0());
      const before = await snapshot(fixture.db);
      const stats = await importLines(day0());
      // Only the record of the run changes.
      const after = await snapshot(fixture.db);
      expect(after.sync_state).not.toEqual(before.sync_state);
      expect({ ...after, sync_state: [] }).toEqual({ ...before, sync_state: [] });
      for (const stage of Object.values(stats.stages)) {
        expect(stage).toMatchObject({ inserted: 0, updated: 0, removed: 0, moved: 0 });
      }
      expect(stats.stages.titles.unchanged).toBe(9);
      expect(stats.stages.episodes.unchanged).toBe(5);
      expect(stats.stages.ratings.unchanged).toBe(3);
    });

    it("keeps a runtime filled in elsewhere (TMDB) while IMDb has none, and takes IMDb's when it has one", async () => {
      await importLines(day0());
      // tt0000002 has no runtime at IMDb; TMDB filled one in.
      await fixture.db.sql.run(sql`UPDATE titles SET runtime_minutes = 95 WHERE imdb_id = 'tt0000002'`);
      const same = await importLines(day0());
      expect(same.stages.titles.updated).toBe(0);
      expect((await title('tt0000002'))?.runtime_minutes).toBe(95);
      const lines = day0();
      lines.basics[1] = b('tt0000002', 'tvMovie', 'A TV Movie', { start: 2001, runtime: 88, genres: 'Drama' });
      const next = await importLines(lines);
      expect(next.stages.titles.updated).toBe(1);
      expect((await title('tt0000002'))?.runtime_minutes).toBe(88);
    });

    it('leaves the database exactly as it was when a file is truncated', async () => {
      await importLines(day0());
      const before = await snapshot(fixture.db);
      for (const file of ['basics', 'episodes'] as const) {
        const files = await writeDataset(fixture.dir, day1());
        await truncateFile(files[file]);
        await expect(
          importImdbDataset({ target: fixture.target, dir: fixture.dir, stageAsideFromBytes }),
        ).rejects.toThrow(/title\.(basics|episode)\.tsv\.gz: the gzip data is truncated/);
        expect(await snapshot(fixture.db)).toEqual(before);
      }
    });

    it('removes duplicate ids even when a file is out of IMDb order', async () => {
      const lines = day0();
      lines.basics.push(b('tt0000001', 'movie', 'The Matrix, again'));
      lines.ratings.push(r('tt0000001', '1.0', 1));
      lines.episodes.push(e('tt0000101', 'tt0000003', 1, 5));
      const stats = await importLines(lines);
      expect(stats.stages.titles.inserted).toBe(9);
      expect(stats.stages.titles.skipped.duplicates).toBe(1);
      expect(stats.stages.ratings.skipped.duplicates).toBe(1);
      // The repeated tconst, and the second episode for S1E2 as before.
      expect(stats.stages.episodes.skipped.duplicates).toBe(2);
      expect([await count('titles'), await count('show_episodes')]).toEqual([9, 5]);
    });

    it("names every episode when the files order tconsts as text, as IMDb's do", async () => {
      // Seven digits only for two batches of 5000 lines, then tt1000000, tt10000000 ...
      // tt10000009, tt1000001: seven and eight digits interleave, which the readers only
      // learn there (until then their order is as good as by number).
      const ids = [
        ...Array.from({ length: 10_000 }, (_, i) => `tt0${990_000 + i}`),
        ...Array.from({ length: 12_000 }, (_, i) => [`tt${1_000_000 + i}`, `tt${10_000_000 + i}`]).flat(),
      ];
      ids.sort();
      const lines = day0();
      lines.basics.push(...ids.map((tconst) => b(tconst, 'tvEpisode', `Name of ${tconst}`)));
      lines.episodes.push(...ids.map((tconst, i) => e(tconst, 'tt0000003', 9, i + 1)));
      const stats = await importLines(lines);
      expect(stats.stages.episodes.inserted).toBe(5 + ids.length);
      const season = await fixture.db.sql.all<{ imdb_id: string; display_name: string }>(sql`
        SELECT se.imdb_id, se.display_name FROM show_episodes se JOIN show_seasons ss ON ss.id = se.season_id
        WHERE ss.season = 9 ORDER BY se.episode`);
      expect(season).toHaveLength(ids.length);
      expect(season.filter((row) => row.display_name !== `Name of ${row.imdb_id}`)).toEqual([]);
    });

    it('keeps the first of an episode name title.basics repeats out of order', async () => {
      const lines = day0();
      // Lines enough for several batches (of 5000): the first names are read, and may be
      // paired with their episodes, before the repeats show the file is out of order.
      const many = Array.from({ length: 20_000 }, (_, i) => `tt${String(2_000_001 + i).padStart(7, '0')}`);
      lines.basics.push(...many.map((tconst) => b(tconst, 'tvEpisode', `Name of ${tconst}`)));
      lines.episodes.push(...many.map((tconst, i) => e(tconst, 'tt0000003', 7, i + 1)));
      lines.basics.push(b('tt0000101', 'tvEpisode', 'Pilot, again'), b(many[0] as string, 'tvEpisode', 'Again'));
      const stats = await importLines(lines);
      expect(stats.files.basics).toMatchObject({ lines: 20_022, badRows: 1 });
      expect(stats.stages.titles.skipped.duplicates).toBe(2);
      const names = (await episodesOf('tt0000003')).map((row) => row.display_name);
      expect(names.slice(0, 4)).toEqual(['Pilot', 'Second', null, 'Name of tt2000001']);
      expect(names.at(-1)).toBe('Name of tt2020000');
    });

    if (stageAsideFromBytes === 0) {
      // Where the staging thread's tables live: a scratch file, or a schema of the import's.
      const scratch = async () =>
        dialect === 'sqlite'
          ? (await readdir(tmpdir())).filter((name) => name.startsWith('mediacanon-staging-'))
          : (
              await fixture.db.sql.all<{ name: string }>(
                sql`SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'imdb_aside_%'`,
              )
            ).map((row) => row.name);

      it('removes what it staged aside whether the run succeeds or fails', async () => {
        const before = await scratch();
        await importLines(day0());
        const files = await writeDataset(fixture.dir, day1());
        await truncateFile(files.ratings);
        await expect(
          importImdbDataset({ target: fixture.target, dir: fixture.dir, stageAsideFromBytes }),
        ).rejects.toThrow(/title\.ratings\.tsv\.gz: the gzip data is truncated/);
        // None left (tests in other processes may add and remove theirs meanwhile).
        expect((await scratch()).filter((name) => !before.includes(name))).toEqual([]);
        expect(await count('titles')).toBe(9);
      });

      it('removes what imports killed on the way staged aside, and only that', async () => {
        const exited = spawn(process.execPath, ['-e', '']);
        await once(exited, 'exit');
        if (dialect === 'sqlite') {
          const [orphan, running] = [exited.pid, process.ppid].map((pid) =>
            path.join(tmpdir(), `mediacanon-staging-${pid}-test`),
          );
          for (const dir of [orphan, running] as string[]) {
            await mkdir(dir);
            await writeFile(path.join(dir, 'staging.db'), 'left by a killed import');
          }
          await importLines(day0());
          expect([existsSync(orphan as string), existsSync(running as string)]).toEqual([false, true]);
          await rm(running as string, { recursive: true });
        } else {
          // Named after the importing session: a backend no longer there, and this test's own.
          const live = await fixture.db.sql.get<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`);
          const [orphan, running] = [`imdb_aside_${2 ** 31 - 1}`, `imdb_aside_${live?.pid}`];
          for (const schema of [orphan, running]) {
            await fixture.db.sql.run(sql.raw(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.left_behind (n int)`));
          }
          await importLines(day0());
          expect((await scratch()).sort()).toEqual([running]);
          await fixture.db.sql.run(sql.raw(`DROP SCHEMA ${running} CASCADE`));
        }
      });
    }

    if (dialect === 'sqlite') {
      it('keeps the SQLite full-text index in step with titles', async () => {
        await importLines(day0());
        await importLines(day1());
        // Throws SQLITE_CORRUPT_VTAB when the index and the titles table disagree.
        await fixture.db.sql.run(sql`INSERT INTO titles_fts(titles_fts, rank) VALUES ('integrity-check', 1)`);
        const hits = await fixture.db.sql.all<{ id: number }>(
          sql`SELECT rowid AS id FROM titles_fts WHERE titles_fts MATCH 'weird'`,
        );
        expect(hits).toEqual([{ id: (await title('tt0000007'))?.id }]);
      });
    }
  });
});

/** Every row the import may touch, in a stable order. */
async function snapshot(db: Database) {
  const tables = ['titles', 'movies', 'shows', 'show_seasons', 'show_episodes', 'genres', 'title_genres', 'sync_state'];
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) {
    rows[table] = await db.sql.all(sql`SELECT * FROM ${sql.identifier(table)} ORDER BY 1, 2`);
  }
  return rows;
}
