/**
 * The raw load floor: what reading the three files and bulk-loading their rows costs with
 * nothing else. Same streaming parser and row formats as the importer (readTsv with
 * basicsFormat, episodesFormat, ratingsFormat), so parsing costs the same; then
 *   PostgreSQL: COPY into UNLOGGED tables without indexes or keys, the importer's COPY text;
 *   SQLite: bare rowid tables, all in one transaction, written as the importer's staging
 *   writes (createTableWriter: many rows per prepared INSERT).
 * No deduplication, no genre split, no merge. The importer's time over this is its overhead.
 */
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { DatabaseTarget } from '../../server/config.ts';
import { openSqliteConnection } from '../../server/db/dialect.ts';
import { basicsLine, copyLines, episodeLine, ratingLine } from '../../server/imdb/copy-text.ts';
import {
  type BasicsRow,
  basicsFormat,
  type EpisodeRow,
  episodesFormat,
  IMDB_FILES,
  type ImdbFile,
  type RatingRow,
  ratingsFormat,
} from '../../server/imdb/imdb-files.ts';
import { createTableWriter } from '../../server/imdb/staging.sqlite.ts';
import { readTsv, type TsvFormat } from '../../server/imdb/tsv.ts';
import type { FloorFile, FloorResult } from './jobs.ts';

/** One sink per file: takes the parsed batches and loads them. */
interface FloorSinks {
  basics(batches: AsyncIterable<BasicsRow[]>): Promise<void>;
  episodes(batches: AsyncIterable<EpisodeRow[]>): Promise<void>;
  ratings(batches: AsyncIterable<RatingRow[]>): Promise<void>;
}

export async function rawFloor(target: DatabaseTarget, dir: string, log: (line: string) => void): Promise<FloorResult> {
  return target.dialect === 'pg' ? pgFloor(target.url, dir, log) : sqliteFloor(target.path, dir, log);
}

async function loadAll(dir: string, sinks: FloorSinks, log: (line: string) => void) {
  const files = {} as Record<ImdbFile, FloorFile>;
  const one = async <Row>(file: ImdbFile, format: TsvFormat<Row>, sink: (b: AsyncIterable<Row[]>) => Promise<void>) => {
    const started = performance.now();
    const { batches, report } = readTsv(path.join(dir, IMDB_FILES[file]), format);
    await sink(batches);
    const ms = performance.now() - started;
    files[file] = { lines: report.lines, rows: report.rows, badRows: report.badRows, ms };
    log(`floor ${IMDB_FILES[file]}: ${report.lines} lines, ${report.rows} rows, ${Math.round(ms)} ms`);
  };
  await one('basics', basicsFormat(), sinks.basics);
  await one('episodes', episodesFormat(), sinks.episodes);
  await one('ratings', ratingsFormat(), sinks.ratings);
  return files;
}

function summarize(files: Record<ImdbFile, FloorFile>, ms: number): FloorResult {
  const all = Object.values(files);
  return {
    ms,
    lines: all.reduce((sum, f) => sum + f.lines, 0),
    rows: all.reduce((sum, f) => sum + f.rows, 0),
    files,
  };
}

// --- PostgreSQL ---------------------------------------------------------------------------

const PG_TABLES = `
  CREATE UNLOGGED TABLE floor_basics (
    imdb_id text NOT NULL, type text NOT NULL, display_name text, original_title text,
    start_year integer, end_year integer, runtime_minutes integer, search_name text, genres text
  );
  CREATE UNLOGGED TABLE floor_episodes (imdb_id text NOT NULL, parent_id text NOT NULL, season integer NOT NULL, episode integer NOT NULL);
  CREATE UNLOGGED TABLE floor_ratings (imdb_id text NOT NULL, average_rating numeric(3,1) NOT NULL, num_votes integer NOT NULL);
`;

async function pgFloor(url: string, dir: string, log: (line: string) => void): Promise<FloorResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(PG_TABLES);
    const copy = async <Row>(table: string, batches: AsyncIterable<Row[]>, line: (row: Row) => string) => {
      await pipeline(copyLines(batches, line), client.query(copyStreams.from(`COPY ${table} FROM STDIN`)));
    };
    const started = performance.now();
    const files = await loadAll(
      dir,
      {
        basics: (b) => copy('floor_basics', b, basicsLine),
        episodes: (b) => copy('floor_episodes', b, episodeLine),
        ratings: (b) => copy('floor_ratings', b, ratingLine),
      },
      log,
    );
    return summarize(files, performance.now() - started);
  } finally {
    await client.end().catch(() => {});
  }
}

// --- SQLite -------------------------------------------------------------------------------

const SQLITE_TABLES = `
  CREATE TABLE floor_basics (
    imdb_id TEXT NOT NULL, type TEXT NOT NULL, display_name TEXT, original_title TEXT,
    start_year INTEGER, end_year INTEGER, runtime_minutes INTEGER, search_name TEXT, genres TEXT
  );
  CREATE TABLE floor_episodes (imdb_id TEXT NOT NULL, parent_id TEXT NOT NULL, season INTEGER NOT NULL, episode INTEGER NOT NULL);
  CREATE TABLE floor_ratings (imdb_id TEXT NOT NULL, average_rating REAL NOT NULL, num_votes INTEGER NOT NULL);
`;

async function sqliteFloor(file: string, dir: string, log: (line: string) => void): Promise<FloorResult> {
  // The app's connection settings (WAL, synchronous NORMAL, 64 MB cache), as the importer uses.
  const db = openSqliteConnection(file);
  try {
    db.exec(SQLITE_TABLES);
    const basics = createTableWriter(db, 'floor_basics', 9);
    const episodes = createTableWriter(db, 'floor_episodes', 4);
    const ratings = createTableWriter(db, 'floor_ratings', 3);
    const started = performance.now();
    // One transaction for all three files; awaiting the next batch in between is safe, as
    // nothing else uses this connection.
    db.exec('BEGIN');
    try {
      const files = await loadAll(
        dir,
        {
          async basics(batches) {
            for await (const rows of batches) {
              for (const row of rows) {
                if (row.kind === 'episode') {
                  basics.queue(row.imdbId, 'episode', row.displayName, null, null, null, null, null, null);
                } else {
                  basics.queue(
                    row.imdbId,
                    row.kind,
                    row.displayName,
                    row.originalTitle,
                    row.startYear,
                    row.endYear,
                    row.runtimeMinutes,
                    row.searchName,
                    row.genres.length > 0 ? row.genres.join(',') : null,
                  );
                }
              }
            }
            basics.flush();
          },
          async episodes(batches) {
            for await (const rows of batches) {
              for (const row of rows) episodes.queue(row.imdbId, row.parentImdbId, row.season, row.episode);
            }
            episodes.flush();
          },
          async ratings(batches) {
            for await (const rows of batches) {
              for (const row of rows) ratings.queue(row.imdbId, row.averageRating, row.numVotes);
            }
            ratings.flush();
          },
        },
        log,
      );
      db.exec('COMMIT');
      return summarize(files, performance.now() - started);
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  } finally {
    db.close();
  }
}
