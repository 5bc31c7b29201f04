/**
 * SQLite staging: the rows of each file into TEMP tables keyed by tconst, in one
 * synchronous transaction per batch. While a file has come in IMDb's order it holds no
 * duplicates, so its rows go in many per INSERT statement (one call into SQLite per
 * ROWS_PER_STATEMENT rows instead of per row, about half the cost of staging); once a
 * file turns out unsorted, rows go one by one so each duplicate can be dropped and counted.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { BasicsRow, EpisodeNameRow, EpisodeRow, FormatCounts, ImdbFile, RatingRow } from './imdb-files.ts';
import type { Staging } from './load.ts';
import type { NameWindow } from './name-window.ts';

const ROWS_PER_STATEMENT = 64;

const STAGING_TABLES = {
  imdb_titles: `(
    imdb_id TEXT PRIMARY KEY, type TEXT NOT NULL, display_name TEXT NOT NULL, original_title TEXT,
    start_year INTEGER, end_year INTEGER, runtime_minutes INTEGER, search_name TEXT NOT NULL
  ) WITHOUT ROWID`,
  imdb_title_genres: '(imdb_id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (imdb_id, name)) WITHOUT ROWID',
  imdb_episode_names: '(imdb_id TEXT PRIMARY KEY, display_name TEXT) WITHOUT ROWID',
  // display_name: the episode's name when it was staged with it (name-window.ts), else NULL.
  imdb_episodes: `(
    imdb_id TEXT PRIMARY KEY, parent_id TEXT NOT NULL, season INTEGER NOT NULL, episode INTEGER NOT NULL,
    display_name TEXT
  ) WITHOUT ROWID`,
  imdb_ratings: '(imdb_id TEXT PRIMARY KEY, average_rating REAL NOT NULL, num_votes INTEGER NOT NULL) WITHOUT ROWID',
  imdb_title_scope: '(imdb_id TEXT PRIMARY KEY) WITHOUT ROWID',
  imdb_episode_scope: '(imdb_id TEXT PRIMARY KEY) WITHOUT ROWID',
  imdb_rating_scope: '(imdb_id TEXT PRIMARY KEY) WITHOUT ROWID',
} as const;

export type StagingTable = keyof typeof STAGING_TABLES;

/** The tables staged on the other thread: title.episode and the episode names (stage-aside.sqlite.ts). */
export const ASIDE_TABLES: readonly StagingTable[] = ['imdb_episodes', 'imdb_episode_names'];

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
  /**
   * Stages title.episode with each episode's name when `window` has it at hand, and every
   * name it passes over (or leaves) in imdb_episode_names.
   */
  loadNamedEpisodes(batches: AsyncIterable<EpisodeRow[]>, order: Order, window: NameWindow): Promise<void>;
  /** Forgets every episode name staged so far, to stage them again (title.basics was out of order). */
  unstageNames(): void;
}

/**
 * Writes into the staging tables; a writer's statements are prepared on first use (its
 * table exists by then: a thread staging part of the files only uses its own tables).
 */
export function createSqliteStaging(connection: BetterSqlite3.Database): SqliteStaging {
  const lazyWriter = (table: StagingTable, columns: number) => {
    let writer: TableWriter | undefined;
    const get = () => {
      writer ??= createTableWriter(connection, table, columns);
      return writer;
    };
    return Object.assign(get, { flush: () => writer?.flush() });
  };
  const titles = lazyWriter('imdb_titles', 8);
  const genres = lazyWriter('imdb_title_genres', 2);
  const names = lazyWriter('imdb_episode_names', 2);
  const episodes = lazyWriter('imdb_episodes', 5);
  const ratings = lazyWriter('imdb_ratings', 3);
  // A tconst the table already holds is ignored; offered minus inserted is the duplicates.
  const dropped: Record<ImdbFile, number> = { basics: 0, episodes: 0, ratings: 0 };

  // Queued names are written by names.flush(), before the transaction ends.
  const queueName = (row: EpisodeNameRow, sorted: boolean) => {
    if (sorted) names().queue(row.imdbId, row.displayName);
    else if (!names().add(row.imdbId, row.displayName)) dropped.basics += 1;
  };
  const writeNames = (rows: EpisodeNameRow[], sorted: boolean) => {
    for (const row of rows) queueName(row, sorted);
    names.flush();
  };
  const stageNames = connection.transaction(writeNames);
  const stageBasics = connection.transaction((rows: BasicsRow[], sorted: boolean) => {
    for (const row of rows) {
      if (row.kind === 'episode') {
        queueName(row, sorted);
        continue;
      }
      const { imdbId, kind, displayName, originalTitle, startYear, endYear, runtimeMinutes, searchName } = row;
      const values = [imdbId, kind, displayName, originalTitle, startYear, endYear, runtimeMinutes, searchName];
      if (sorted) titles().queue(...values);
      else if (!titles().add(...values)) {
        // A repeated title's genres go with it.
        dropped.basics += 1;
        continue;
      }
      for (const name of row.genres) genres().queue(imdbId, name);
    }
    for (const writer of [titles, genres, names]) writer.flush();
  });
  const stageEpisodes = connection.transaction((rows: EpisodeRow[], sorted: boolean, window?: NameWindow) => {
    const writer = episodes();
    for (const row of rows) {
      const values = [row.imdbId, row.parentImdbId, row.season, row.episode, window?.take(row.imdbId) ?? null];
      if (sorted) writer.queue(...values);
      else if (!writer.add(...values)) dropped.episodes += 1;
    }
    writer.flush();
    if (window) writeNames(window.spilled(), window.sorted);
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
    loadBasics: stage(stageBasics),
    loadEpisodes: stage(stageEpisodes),
    async loadNamedEpisodes(batches, order, window) {
      for await (const rows of batches) {
        const last = rows[rows.length - 1];
        if (last) await window.fill(last.imdbId);
        stageEpisodes(rows, order.sorted, window);
      }
      for await (const rows of window.rest()) stageNames(rows, window.sorted);
    },
    unstageNames() {
      connection.exec('UPDATE imdb_episodes SET display_name = NULL; DELETE FROM imdb_episode_names');
      dropped.basics = 0;
    },
    loadRatings: stage(stageRatings),
    async loadScope(table, imdbIds) {
      const insert = connection.prepare(`INSERT OR IGNORE INTO ${table} (imdb_id) VALUES (?)`);
      connection.transaction(() => {
        for (const imdbId of imdbIds) insert.run(imdbId);
      })();
    },
    async finish() {
      return dropped;
    },
  };
}
