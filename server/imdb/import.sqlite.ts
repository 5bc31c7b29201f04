/**
 * SQLite side of the import: staging in TEMP tables keyed by tconst (WITHOUT ROWID, so
 * IMDb's sorted files append and every merge lookup is an index lookup), filled by one
 * prepared INSERT per table in large synchronous transactions; then the shared merge in
 * one IMMEDIATE transaction. titles_fts follows through its triggers.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { openSqliteConnection } from '../db/dialect.ts';
import type { BasicsRow, EpisodeRow, ImdbFile, RatingRow } from './imdb-files.ts';
import { loadImdbFiles, type Staging } from './load.ts';
import { createMergeTally, type MergeTally, mergeSteps } from './merge.ts';
import type { DialectImportResult, ImportProgress, ImportSource } from './stats.ts';

const STAGING_TABLES = `
  CREATE TEMP TABLE imdb_titles (
    imdb_id TEXT PRIMARY KEY, type TEXT NOT NULL, display_name TEXT NOT NULL, original_title TEXT,
    start_year INTEGER, end_year INTEGER, runtime_minutes INTEGER, search_name TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TEMP TABLE imdb_title_genres (
    imdb_id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (imdb_id, name)
  ) WITHOUT ROWID;
  CREATE TEMP TABLE imdb_episode_names (imdb_id TEXT PRIMARY KEY, display_name TEXT) WITHOUT ROWID;
  CREATE TEMP TABLE imdb_episodes (
    imdb_id TEXT PRIMARY KEY, parent_id TEXT NOT NULL, season INTEGER NOT NULL, episode INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TEMP TABLE imdb_ratings (
    imdb_id TEXT PRIMARY KEY, average_rating REAL NOT NULL, num_votes INTEGER NOT NULL
  ) WITHOUT ROWID;
`;

export interface SqliteImportOptions {
  file: string;
  dir: string;
  source: ImportSource;
  onProgress?: (progress: ImportProgress) => void;
  log?: (message: string) => void;
}

export async function importIntoSqlite({
  file,
  dir,
  source,
  onProgress,
  log,
}: SqliteImportOptions): Promise<DialectImportResult> {
  const connection = openSqliteConnection(file);
  try {
    // Staging lives in the temp database: on disk (bounded memory) with a larger cache.
    connection.pragma('temp_store = FILE');
    connection.pragma('temp.cache_size = -65536');
    connection.pragma('main.cache_size = -65536');
    connection.exec(STAGING_TABLES);
    const loadStarted = performance.now();
    const files = await loadImdbFiles({ dir, staging: createSqliteStaging(connection), onProgress, log });
    const loadMs = performance.now() - loadStarted;
    const mergeStarted = performance.now();
    const merge = runMerge(connection, source, onProgress);
    return { files, merge, loadMs, mergeMs: performance.now() - mergeStarted };
  } finally {
    connection.close();
  }
}

function runMerge(
  connection: BetterSqlite3.Database,
  source: ImportSource,
  onProgress?: (progress: ImportProgress) => void,
): MergeTally {
  const tally = createMergeTally(onProgress);
  const steps = mergeSteps({ dialect: 'sqlite', now: new Date(), source }).filter(
    (step) => !step.only || step.only === 'sqlite',
  );
  // Synchronous from BEGIN to COMMIT: nothing else can run on this connection in between.
  connection
    .transaction(() => {
      for (const step of steps) {
        tally.starting(step);
        const started = performance.now();
        const statement = connection.prepare(step.sql);
        const result = step.count ? Number(statement.pluck().get()) : statement.run().changes;
        tally.record(step, result, performance.now() - started);
      }
    })
    .immediate();
  return tally;
}

function createSqliteStaging(connection: BetterSqlite3.Database): Staging {
  const insert = (table: string, columns: number) =>
    connection.prepare(`INSERT OR IGNORE INTO ${table} VALUES (${new Array(columns).fill('?').join(', ')})`);
  const titles = insert('imdb_titles', 8);
  const genres = insert('imdb_title_genres', 2);
  const names = insert('imdb_episode_names', 2);
  const episodes = insert('imdb_episodes', 4);
  const ratings = insert('imdb_ratings', 3);
  // A tconst the table already holds is ignored; offered minus inserted is the duplicates.
  const dropped: Record<ImdbFile, number> = { basics: 0, episodes: 0, ratings: 0 };

  const stageBasics = connection.transaction((rows: BasicsRow[]) => {
    for (const row of rows) {
      if (row.kind === 'episode') {
        if (names.run(row.imdbId, row.displayName).changes === 0) dropped.basics += 1;
        continue;
      }
      const { imdbId, kind, displayName, originalTitle, startYear, endYear, runtimeMinutes, searchName } = row;
      const changes = titles.run(
        imdbId,
        kind,
        displayName,
        originalTitle,
        startYear,
        endYear,
        runtimeMinutes,
        searchName,
      );
      if (changes.changes === 0) {
        dropped.basics += 1;
        continue;
      }
      for (const name of row.genres) genres.run(imdbId, name);
    }
  });
  const stageEpisodes = connection.transaction((rows: EpisodeRow[]) => {
    for (const row of rows) {
      if (episodes.run(row.imdbId, row.parentImdbId, row.season, row.episode).changes === 0) dropped.episodes += 1;
    }
  });
  const stageRatings = connection.transaction((rows: RatingRow[]) => {
    for (const row of rows) {
      if (ratings.run(row.imdbId, row.averageRating, row.numVotes).changes === 0) dropped.ratings += 1;
    }
  });

  return {
    async loadBasics(batches) {
      for await (const rows of batches) stageBasics(rows);
    },
    async loadEpisodes(batches) {
      for await (const rows of batches) stageEpisodes(rows);
    },
    async loadRatings(batches) {
      for await (const rows of batches) stageRatings(rows);
    },
    async finish() {
      return dropped;
    },
  };
}
