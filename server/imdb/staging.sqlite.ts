/**
 * SQLite staging: the rows of each file into TEMP tables keyed by tconst, in one
 * synchronous transaction per batch. While a file has come in IMDb's order it holds no
 * duplicates, so its rows go in many per INSERT statement (one call into SQLite per
 * ROWS_PER_STATEMENT rows instead of per row, about half the cost of staging); once a
 * file turns out unsorted, rows go one by one so each duplicate can be dropped and counted.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { BasicsRow, EpisodeRow, FormatCounts, ImdbFile, RatingRow } from './imdb-files.ts';
import type { Staging } from './load.ts';

const ROWS_PER_STATEMENT = 64;

const STAGING_TABLES = {
  imdb_titles: `(
    imdb_id TEXT PRIMARY KEY, type TEXT NOT NULL, display_name TEXT NOT NULL, original_title TEXT,
    start_year INTEGER, end_year INTEGER, runtime_minutes INTEGER, search_name TEXT NOT NULL
  ) WITHOUT ROWID`,
  imdb_title_genres: '(imdb_id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (imdb_id, name)) WITHOUT ROWID',
  imdb_episode_names: '(imdb_id TEXT PRIMARY KEY, display_name TEXT) WITHOUT ROWID',
  imdb_episodes: `(
    imdb_id TEXT PRIMARY KEY, parent_id TEXT NOT NULL, season INTEGER NOT NULL, episode INTEGER NOT NULL
  ) WITHOUT ROWID`,
  imdb_ratings: '(imdb_id TEXT PRIMARY KEY, average_rating REAL NOT NULL, num_votes INTEGER NOT NULL) WITHOUT ROWID',
  imdb_title_scope: '(imdb_id TEXT PRIMARY KEY) WITHOUT ROWID',
  imdb_episode_scope: '(imdb_id TEXT PRIMARY KEY) WITHOUT ROWID',
  imdb_rating_scope: '(imdb_id TEXT PRIMARY KEY) WITHOUT ROWID',
} as const;

export type StagingTable = keyof typeof STAGING_TABLES;

/** The tables staged on the other thread: title.episode, title.ratings and the episode names (stage-aside.sqlite.ts). */
export const ASIDE_TABLES: readonly StagingTable[] = ['imdb_episodes', 'imdb_ratings', 'imdb_episode_names'];

/**
 * Where title.basics' episode names go when another thread stages them: flat
 * [imdbId, displayName, ...] pairs of one batch. `write` resolves when the other side is
 * ready for more (memory stays bounded); `end` says there are no more.
 */
export interface EpisodeNameSink {
  write(values: unknown[], sorted: boolean): Promise<void>;
  end(): void;
}

/**
 * Creates the staging tables in `schema`: the connection's own TEMP database, or (for
 * tables staged aside) the main database of a scratch file. Left out: `except`.
 */
export function createStagingTables(
  connection: BetterSqlite3.Database,
  {
    schema = 'temp',
    only,
    except = [],
  }: { schema?: 'temp' | 'main'; only?: readonly StagingTable[]; except?: readonly StagingTable[] } = {},
): void {
  for (const [table, columns] of Object.entries(STAGING_TABLES) as [StagingTable, string][]) {
    if ((only && !only.includes(table)) || except.includes(table)) continue;
    connection.exec(`CREATE TABLE ${schema}.${table} ${columns}`);
  }
}

/**
 * Rows for one table, gathered flat and written ROWS_PER_STATEMENT at a time; `add`
 * returns whether a row went in (false: a duplicate, ignored) only in one-by-one mode.
 * The import benchmark's raw floor writes its bare tables with it too.
 */
export function createTableWriter(connection: BetterSqlite3.Database, table: string, columns: number) {
  const row = `(${new Array(columns).fill('?').join(', ')})`;
  const one = connection.prepare(`INSERT OR IGNORE INTO ${table} VALUES ${row}`);
  const many = connection.prepare(
    `INSERT OR IGNORE INTO ${table} VALUES ${new Array(ROWS_PER_STATEMENT).fill(row).join(', ')}`,
  );
  const full = ROWS_PER_STATEMENT * columns;
  let pending: unknown[] = [];
  return {
    /** Queues a row known to be new (sorted input). */
    queue(...values: unknown[]) {
      for (const value of values) pending.push(value);
      if (pending.length === full) {
        many.run(pending);
        pending = [];
      }
    },
    /** Writes a row now; false when the table already held its key. */
    add(...values: unknown[]): boolean {
      return one.run(values).changes > 0;
    },
    /** Writes what is queued: call before the batch's transaction ends. */
    flush() {
      for (let at = 0; at < pending.length; at += columns) one.run(pending.slice(at, at + columns));
      pending = [];
    },
  };
}

type TableWriter = ReturnType<typeof createTableWriter>;

type Order = Pick<FormatCounts, 'sorted'>;

export interface SqliteStaging extends Staging {
  /** Stages one batch of episode names (flat pairs) handed over by another thread's title.basics. */
  writeEpisodeNames(values: unknown[], sorted: boolean): void;
}

/**
 * Writes into the staging tables; a writer's statements are prepared on first use (its
 * table exists by then). With `episodeNames`, title.basics' episode names go there instead.
 */
export function createSqliteStaging(
  connection: BetterSqlite3.Database,
  { episodeNames }: { episodeNames?: EpisodeNameSink } = {},
): SqliteStaging {
  const lazyWriter = (table: StagingTable, columns: number) => {
    let writer: TableWriter | undefined;
    return () => {
      writer ??= createTableWriter(connection, table, columns);
      return writer;
    };
  };
  const titles = lazyWriter('imdb_titles', 8);
  const genres = lazyWriter('imdb_title_genres', 2);
  const names = lazyWriter('imdb_episode_names', 2);
  const episodes = lazyWriter('imdb_episodes', 4);
  const ratings = lazyWriter('imdb_ratings', 3);
  // A tconst the table already holds is ignored; offered minus inserted is the duplicates.
  const dropped: Record<ImdbFile, number> = { basics: 0, episodes: 0, ratings: 0 };

  const writeNames = (values: unknown[], sorted: boolean) => {
    const writer = names();
    for (let at = 0; at < values.length; at += 2) {
      if (sorted) writer.queue(values[at], values[at + 1]);
      else if (!writer.add(values[at], values[at + 1])) dropped.basics += 1;
    }
    writer.flush();
  };
  // Returns the batch's episode names (flat pairs) when another thread writes them (episodeNames).
  const stageBasics = connection.transaction((rows: BasicsRow[], sorted: boolean): unknown[] => {
    const [titleRows, genreRows] = [titles(), genres()];
    const batchNames: unknown[] = [];
    for (const row of rows) {
      if (row.kind === 'episode') {
        batchNames.push(row.imdbId, row.displayName);
        continue;
      }
      const { imdbId, kind, displayName, originalTitle, startYear, endYear, runtimeMinutes, searchName } = row;
      const values = [imdbId, kind, displayName, originalTitle, startYear, endYear, runtimeMinutes, searchName];
      if (sorted) titleRows.queue(...values);
      else if (!titleRows.add(...values)) {
        // A repeated title's genres go with it.
        dropped.basics += 1;
        continue;
      }
      for (const name of row.genres) genreRows.queue(imdbId, name);
    }
    titleRows.flush();
    genreRows.flush();
    if (episodeNames) return batchNames;
    writeNames(batchNames, sorted);
    return [];
  });
  const stageEpisodes = connection.transaction((rows: EpisodeRow[], sorted: boolean) => {
    const writer = episodes();
    for (const row of rows) {
      const values = [row.imdbId, row.parentImdbId, row.season, row.episode];
      if (sorted) writer.queue(...values);
      else if (!writer.add(...values)) dropped.episodes += 1;
    }
    writer.flush();
  });
  const stageRatings = connection.transaction((rows: RatingRow[], sorted: boolean) => {
    const writer = ratings();
    for (const row of rows) {
      const values = [row.imdbId, row.averageRating, row.numVotes];
      if (sorted) writer.queue(...values);
      else if (!writer.add(...values)) dropped.ratings += 1;
    }
    writer.flush();
  });

  // `order.sorted` covers every row read so far, this batch's included.
  const stage =
    <Row>(write: (rows: Row[], sorted: boolean) => void) =>
    async (batches: AsyncIterable<Row[]>, order: Order) => {
      for await (const rows of batches) write(rows, order.sorted);
    };
  return {
    loadBasics: episodeNames
      ? async (batches, order) => {
          for await (const rows of batches) {
            const names = stageBasics(rows, order.sorted);
            if (names.length > 0) await episodeNames.write(names, order.sorted);
          }
          episodeNames.end();
        }
      : stage(stageBasics),
    loadEpisodes: stage(stageEpisodes),
    loadRatings: stage(stageRatings),
    async loadScope(table, imdbIds) {
      const insert = connection.prepare(`INSERT OR IGNORE INTO ${table} (imdb_id) VALUES (?)`);
      connection.transaction(() => {
        for (const imdbId of imdbIds) insert.run(imdbId);
      })();
    },
    writeEpisodeNames: connection.transaction(writeNames),
    async finish() {
      return dropped;
    },
  };
}
