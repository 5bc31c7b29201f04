/**
 * Fills a migrated SQLite file with the data set: one prepared statement per table in large
 * transactions. The secondary indexes and the titles_fts triggers of the filled tables are
 * dropped first and recreated afterwards from their own stored SQL (sqlite_master), so the
 * schema ends exactly as the migration left it; titles_fts is rebuilt in one go.
 */
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../../server/db/dialect.ts';
import type { Dataset } from './data.ts';
import { TITLE_COLUMNS, titleValues } from './title-columns.ts';

const FILLED_TABLES = ['titles', 'movies', 'shows', 'show_seasons', 'show_episodes', 'genres', 'title_genres'];
const BATCH = 100_000;

export interface FillStep {
  step: string;
  ms: number;
}

export async function fillSqlite(file: string, data: Dataset, log: (line: string) => void): Promise<FillStep[]> {
  const steps: FillStep[] = [];
  const timed = <T>(step: string, work: () => T): T => {
    const start = performance.now();
    const result = work();
    const ms = performance.now() - start;
    steps.push({ step, ms });
    log(`  ${step}: ${(ms / 1000).toFixed(1)} s`);
    return result;
  };

  // The app's own open applies the migrations.
  await (await openDatabase({ dialect: 'sqlite', path: file })).close();

  const db = new BetterSqlite3(file);
  try {
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    db.pragma('temp_store = MEMORY');
    const placeholders = FILLED_TABLES.map(() => '?').join(', ');
    const saved = db
      .prepare(
        `SELECT type, name, sql FROM sqlite_master
         WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN (${placeholders})
         ORDER BY type, name`,
      )
      .all(...FILLED_TABLES) as { type: 'index' | 'trigger'; name: string; sql: string }[];
    if (!saved.some((s) => s.type === 'trigger' && s.name.startsWith('titles_fts_'))) {
      throw new Error('sqlite fill: the titles_fts triggers were not found; has the schema changed?');
    }
    for (const { type, name } of saved) db.exec(`DROP ${type.toUpperCase()} "${name}"`);

    const insertAll = <R>(
      table: string,
      rows: Iterable<R>,
      statement: BetterSqlite3.Statement,
      bind: (r: R) => unknown[],
    ) =>
      timed(`insert ${table}`, () => {
        const batch = db.transaction((chunk: R[]) => {
          for (const row of chunk) statement.run(...bind(row));
        });
        let chunk: R[] = [];
        let count = 0;
        for (const row of rows) {
          chunk.push(row);
          if (chunk.length === BATCH) {
            batch(chunk);
            count += chunk.length;
            chunk = [];
          }
        }
        batch(chunk);
        return count + chunk.length;
      });

    insertAll(
      'titles',
      data.titles(),
      db.prepare(
        `INSERT INTO titles (${TITLE_COLUMNS.join(', ')}) VALUES (${TITLE_COLUMNS.map(() => '?').join(', ')})`,
      ),
      (t) => titleValues(t, (flag) => (flag ? 1 : 0)),
    );
    insertAll('genres', data.genres(), db.prepare('INSERT INTO genres (id, name) VALUES (?, ?)'), (g) => [
      g.id,
      g.name,
    ]);
    insertAll(
      'title_genres',
      data.titleGenres(),
      db.prepare('INSERT INTO title_genres (title_id, genre_id) VALUES (?, ?)'),
      (g) => [g.titleId, g.genreId],
    );
    insertAll('movies', data.movies(), db.prepare('INSERT INTO movies (id, title_id) VALUES (?, ?)'), (m) => [
      m.id,
      m.titleId,
    ]);
    insertAll('shows', data.shows(), db.prepare('INSERT INTO shows (id, title_id) VALUES (?, ?)'), (s) => [
      s.id,
      s.titleId,
    ]);
    insertAll(
      'show_seasons',
      data.seasons(),
      db.prepare('INSERT INTO show_seasons (id, show_id, season) VALUES (?, ?, ?)'),
      (s) => [s.id, s.showId, s.season],
    );
    insertAll(
      'show_episodes',
      data.episodes(),
      db.prepare(`INSERT INTO show_episodes (id, season_id, episode, display_name, synopsis, air_date, runtime_minutes)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      (e) => [e.id, e.seasonId, e.episode, e.displayName, e.synopsis, e.airDate, e.runtimeMinutes],
    );

    timed('create indexes', () => {
      for (const { sql } of saved.filter((s) => s.type === 'index')) db.exec(sql);
    });
    timed('rebuild titles_fts', () => db.exec(`INSERT INTO titles_fts(titles_fts) VALUES ('rebuild')`));
    for (const { sql } of saved.filter((s) => s.type === 'trigger')) db.exec(sql);
    timed('ANALYZE', () => db.exec('ANALYZE'));
    timed('checkpoint', () => db.pragma('wal_checkpoint(TRUNCATE)'));

    const counts = db
      .prepare(
        `SELECT (SELECT count(*) FROM titles) AS titles, (SELECT count(*) FROM show_episodes) AS episodes,
                (SELECT count(*) FROM titles_fts WHERE titles_fts MATCH '"the"') AS fts_the`,
      )
      .get() as { titles: number; episodes: number; fts_the: number };
    if (counts.titles !== data.titleCount || counts.episodes !== data.episodeCount || counts.fts_the === 0) {
      throw new Error(`sqlite fill: unexpected row counts ${JSON.stringify(counts)}`);
    }
  } finally {
    db.close();
  }
  return steps;
}
