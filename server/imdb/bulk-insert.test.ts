/**
 * A first import fills an empty catalogue in bulk (indexes and keys set aside and rebuilt,
 * see bulk-insert.pg.ts): afterwards the schema must be exactly what the migrations made,
 * a later import into the full catalogue must not take the bulk path, readers must never
 * wait for it, and what an interrupted one set aside must come back.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/databases.ts';
import type { Database, Dialect } from '../db/sql-runner.ts';
import { setAside } from './bulk-insert.pg.ts';
import { importImdbDataset } from './import.ts';
import { basicsLine, episodeLine, ratingLine, writeDataset } from './test-datasets.ts';
import { useImportFixture } from './test-targets.ts';

/** Every index, key, constraint and trigger of the database, as its definition. */
async function schemaOf(db: Database, dialect: Dialect): Promise<unknown[]> {
  if (dialect === 'sqlite') {
    return db.sql.all(sql`SELECT type, name, sql FROM sqlite_master ORDER BY type, name`);
  }
  return db.sql.all(sql`
    SELECT 'index' AS kind, indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT 'constraint', conrelid::regclass || '.' || conname, pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'trigger', tgrelid::regclass || '.' || tgname, pg_get_triggerdef(oid)
    FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)
    ORDER BY 1, 2`);
}

function catalogue(titles: number) {
  const basics: string[] = [];
  const episodes: string[] = [];
  const ratings: string[] = [];
  for (let i = 1; i <= titles; i++) {
    const id = `tt${String(i).padStart(7, '0')}`;
    basics.push(basicsLine(id, i % 3 === 0 ? 'tvSeries' : 'movie', `Title ${i}`, { genres: 'Drama,Comedy' }));
    ratings.push(ratingLine(id, '7.0', i));
    if (i % 3 === 0) {
      const episodeId = `tt${String(1_000_000 + i).padStart(7, '0')}`;
      basics.push(basicsLine(episodeId, 'tvEpisode', `Episode of ${i}`));
      episodes.push(episodeLine(episodeId, id, 1, 1));
    }
  }
  return { basics: basics.sort(), episodes, ratings };
}

describeEachDialect('IMDb import into an empty catalogue', (dialect) => {
  const fixture = useImportFixture(dialect, 'bulk');

  it('leaves every index, key and trigger as the migrations made them', async () => {
    const before = await schemaOf(fixture.db, dialect);
    await writeDataset(fixture.dir, catalogue(300));
    const lines: string[] = [];
    const log = { info: (line: string) => lines.push(line) };
    const stats = await importImdbDataset({ target: fixture.target, dir: fixture.dir, log });
    expect(stats.stages.titles.inserted).toBe(300);
    expect(stats.stages.titleGenres.inserted).toBe(600);
    expect(stats.stages.episodes.inserted).toBe(100);
    expect(lines.some((line) => line.includes('bulk insert'))).toBe(true);
    expect(await schemaOf(fixture.db, dialect)).toEqual(before);

    // The same catalogue again, grown a little: rows are merged into the live indexes.
    lines.length = 0;
    await writeDataset(fixture.dir, catalogue(310));
    const next = await importImdbDataset({ target: fixture.target, dir: fixture.dir, log });
    expect(next.stages.titles).toMatchObject({ inserted: 10, unchanged: 300 });
    expect(lines.some((line) => line.includes('bulk insert'))).toBe(false);
    expect(await schemaOf(fixture.db, dialect)).toEqual(before);
  });

  it('replaces a small catalogue, such as the sample, removing and moving titles with all they own', async () => {
    const before = await schemaOf(fixture.db, dialect);
    await writeDataset(fixture.dir, catalogue(30));
    await importImdbDataset({ target: fixture.target, dir: fixture.dir });
    // tt0000001 (a movie) and tt0000003 (a show, with a season and an episode) are gone;
    // tt0000006, a show, is a movie now, and tt0000002 a show.
    const gone = ['tt0000001', 'tt0000003', 'tt1000003', 'tt1000006'];
    const retype: Record<string, string> = { tt0000006: 'tvMovie', tt0000002: 'tvSeries' };
    const next = catalogue(2000);
    const keep = (line: string) => !gone.includes(line.slice(0, 9));
    const big = {
      basics: next.basics.filter(keep).map((line) => {
        const [id, , ...rest] = line.split('\t');
        return retype[id as string] ? [id, retype[id as string], ...rest].join('\t') : line;
      }),
      episodes: next.episodes.filter(keep),
      ratings: next.ratings.filter(keep),
    };
    await writeDataset(fixture.dir, big);
    const lines: string[] = [];
    const stats = await importImdbDataset({
      target: fixture.target,
      dir: fixture.dir,
      log: { info: (l) => lines.push(l) },
    });
    expect(lines.some((line) => line.includes('bulk insert'))).toBe(true);
    expect(stats.stages.titles).toMatchObject({ removed: 2, moved: 2 });
    const orphans = await fixture.db.sql.get<Record<string, number>>(sql`SELECT
      (SELECT count(*) FROM movies WHERE title_id NOT IN (SELECT id FROM titles)) AS movies,
      (SELECT count(*) FROM shows WHERE title_id NOT IN (SELECT id FROM titles)) AS shows,
      (SELECT count(*) FROM title_genres WHERE title_id NOT IN (SELECT id FROM titles)) AS links,
      (SELECT count(*) FROM show_seasons WHERE show_id NOT IN (SELECT id FROM shows)) AS seasons,
      (SELECT count(*) FROM show_episodes WHERE season_id NOT IN (SELECT id FROM show_seasons)) AS episodes`);
    expect(Object.values(orphans ?? {}).map(Number)).toEqual([0, 0, 0, 0, 0]);
    const kinds = await fixture.db.sql.all<{ imdb_id: string; movie: number; show: number }>(sql`
      SELECT t.imdb_id, (SELECT count(*) FROM movies m WHERE m.title_id = t.id) AS movie,
        (SELECT count(*) FROM shows s WHERE s.title_id = t.id) AS show
      FROM titles t WHERE t.imdb_id IN ('tt0000001', 'tt0000002', 'tt0000003', 'tt0000006') ORDER BY t.imdb_id`);
    expect(kinds.map((k) => [k.imdb_id, Number(k.movie), Number(k.show)])).toEqual([
      ['tt0000002', 0, 1],
      ['tt0000006', 1, 0],
    ]);
    expect(await schemaOf(fixture.db, dialect)).toEqual(before);
  });

  it('never locks readers out while it fills the catalogue', async () => {
    await writeDataset(fixture.dir, catalogue(30));
    await importImdbDataset({ target: fixture.target, dir: fixture.dir });
    await writeDataset(fixture.dir, catalogue(20_000));
    // A read that had to wait for the import's transaction fails after 300 ms instead.
    if (dialect === 'pg') await fixture.db.sql.run(sql`SET lock_timeout = '300ms'`);
    let importing = true;
    let reads = 0;
    const counts = new Set<number>();
    const reader = (async () => {
      while (importing) {
        const row = await fixture.db.sql.get<{ n: number }>(sql`
          SELECT count(*) AS n FROM titles t JOIN title_genres tg ON tg.title_id = t.id WHERE t.search_name LIKE ${'%title%'}`);
        counts.add(Number(row?.n));
        reads += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const lines: string[] = [];
    try {
      await importImdbDataset({ target: fixture.target, dir: fixture.dir, log: { info: (line) => lines.push(line) } });
    } finally {
      importing = false;
    }
    await reader;
    expect(lines.some((line) => line.includes('bulk insert'))).toBe(true);
    expect(reads).toBeGreaterThan(5);
    // Each read saw one whole catalogue: the 30 titles before, or the 20,000 after.
    expect([...counts].every((n) => n === 60 || n === 40_000)).toBe(true);
  }, 60_000);

  if (dialect === 'pg') {
    it('commits the titles before placing the episodes: a failure there keeps them, and every key', async () => {
      const before = await schemaOf(fixture.db, dialect);
      await writeDataset(fixture.dir, catalogue(300));
      // The server refuses the episodes, as it would with its disk full.
      await fixture.db.sql.run(
        sql.raw(`
        CREATE FUNCTION refuse_episodes() RETURNS trigger LANGUAGE plpgsql AS
          $$ BEGIN RAISE EXCEPTION 'no room for episodes'; END $$;
        CREATE TRIGGER refuse_episodes BEFORE INSERT ON show_episodes FOR EACH ROW EXECUTE FUNCTION refuse_episodes()`),
      );
      await expect(importImdbDataset({ target: fixture.target, dir: fixture.dir })).rejects.toThrow(
        /no room for episodes/,
      );
      const counts = await fixture.db.sql.get<Record<string, number>>(sql`SELECT
        (SELECT count(*) FROM titles) AS titles, (SELECT count(*) FROM title_genres) AS links,
        (SELECT count(*) FROM shows) AS shows, (SELECT count(*) FROM show_episodes) AS episodes,
        (SELECT count(*) FROM sync_state WHERE key = 'imdb_catalogue') AS recorded`);
      expect(Object.values(counts ?? {}).map(Number)).toEqual([300, 600, 100, 0, 0]);
      await fixture.db.sql.run(
        sql.raw('DROP TRIGGER refuse_episodes ON show_episodes; DROP FUNCTION refuse_episodes()'),
      );
      expect(await schemaOf(fixture.db, dialect)).toEqual(before);

      // The next run places the episodes among the titles it finds there.
      const next = await importImdbDataset({ target: fixture.target, dir: fixture.dir });
      expect(next.stages.titles).toMatchObject({ inserted: 0, unchanged: 300 });
      expect(next.stages.episodes.inserted).toBe(100);
      expect(await schemaOf(fixture.db, dialect)).toEqual(before);
    });

    it('puts back what an interrupted bulk import set aside, at the next import', async () => {
      const before = await schemaOf(fixture.db, dialect);
      await writeDataset(fixture.dir, catalogue(50));
      // As if an import had set its indexes aside and been killed before its merge committed.
      const client = new pg.Client({ connectionString: (fixture.target as { url: string }).url });
      await client.connect();
      try {
        // show_episodes' unique indexes too, as the first placement of episodes sets them aside.
        await setAside(client, '', ['titles', 'title_genres', 'show_episodes'], ['show_episodes']);
      } finally {
        await client.end();
      }
      expect(await schemaOf(fixture.db, dialect)).not.toEqual(before);
      const lines: string[] = [];
      await importImdbDataset({ target: fixture.target, dir: fixture.dir, log: { info: (line) => lines.push(line) } });
      expect(await schemaOf(fixture.db, dialect)).toEqual(before);
      expect(lines.some((line) => line.includes('an interrupted bulk import had set aside'))).toBe(true);
    });
  }
});
