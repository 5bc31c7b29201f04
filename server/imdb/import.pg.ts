/**
 * PostgreSQL side of the import: each file streams through COPY FROM STDIN into a TEMP
 * table (no WAL, private to this session, gone when it ends), then the shared merge runs
 * in one transaction. No per-row round trips; no staging indexes, because the merge's
 * set-based joins are hash joins that only need the statistics ANALYZE gives them. Into
 * a (nearly) empty catalogue the inserts go in bulk: see bulk-insert.pg.ts. Readers are
 * never locked out: they see the previous catalogue until the commit.
 */
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { type BaselinePlan, withWholeFallback } from './baseline.ts';
import { catalogueIsNearlyEmpty, RESTORED_SQL, restorePending, setAside } from './bulk-insert.pg.ts';
import { basicsLine, copyLines, episodeLine, ratingLine } from './copy-text.ts';
import type { ImdbFile } from './imdb-files.ts';
import { type Staging, stageThenMerge } from './load.ts';
import { dialectSteps, LIVE_EPISODES_SQL, logSlowStep, type MergeStep, stepsForCatalogue } from './merge.ts';
import {
  createMergeTally,
  type MergeTally,
  STAGE_ROWS_SQL,
  STAGED_EPISODES_SQL,
  type StageRows,
} from './merge-tally.ts';
import { BaselineUnusable } from './snapshot-diff.ts';
import type { DialectImportResult, ImportProgress, ImportSource } from './stats.ts';

// Any fixed number: two imports of one database take turns instead of racing.
const IMPORT_LOCK = 727_431_002;

// IMDb ids in byte order, as the live columns they are joined with (migration 0007).
const STAGING_TABLES = `
  CREATE TEMP TABLE imdb_basics (
    imdb_id text COLLATE "C" NOT NULL, type text NOT NULL, display_name text, original_title text,
    start_year integer, end_year integer, runtime_minutes integer, search_name text, genres text
  );
  CREATE TEMP TABLE imdb_episodes (
    imdb_id text COLLATE "C" NOT NULL, parent_id text COLLATE "C" NOT NULL, season integer NOT NULL, episode integer NOT NULL
  );
  CREATE TEMP TABLE imdb_ratings (imdb_id text COLLATE "C" NOT NULL, average_rating numeric(3,1) NOT NULL, num_votes integer NOT NULL);
  CREATE TEMP TABLE imdb_title_scope (imdb_id text COLLATE "C" NOT NULL);
  CREATE TEMP TABLE imdb_episode_scope (imdb_id text COLLATE "C" NOT NULL);
  CREATE TEMP TABLE imdb_rating_scope (imdb_id text COLLATE "C" NOT NULL);
`;

export interface PgImportOptions {
  url: string;
  dir: string;
  source: ImportSource;
  baseline: BaselinePlan;
  onProgress?: (progress: ImportProgress) => void;
  log?: (message: string) => void;
}

export async function importIntoPostgres(options: PgImportOptions): Promise<DialectImportResult> {
  return withWholeFallback(options.baseline, options.log, (plan) => attempt(options, plan));
}

async function attempt(
  { url, dir, source, onProgress, log }: PgImportOptions,
  baseline: BaselinePlan,
): Promise<DialectImportResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // temp_buffers only takes effect before the session's first temp table. This session's
    // joins and groupings run over millions of episodes: with 512 MB they stay in memory
    // (at full scale the episode placement took 75 s with 128 MB, 34 s with 512 MB).
    await client.query(`SET temp_buffers = '128MB'; SET work_mem = '512MB'; SET maintenance_work_mem = '256MB'`);
    await client.query(STAGING_TABLES);
    const staging = createPgStaging(client);
    // No staging thread here (no stageAside): every file is staged before the merge begins.
    return await stageThenMerge(baseline, { dir, staging, onProgress, log }, () =>
      runMerge(client, dialectSteps('pg', source, baseline), onProgress, log),
    );
  } finally {
    await client.end().catch(() => {});
  }
}

async function runMerge(
  client: pg.Client,
  allSteps: MergeStep[],
  onProgress?: (progress: ImportProgress) => void,
  log?: (message: string) => void,
): Promise<MergeTally> {
  // One import at a time, from setting indexes aside to the commit.
  await client.query('SELECT pg_advisory_lock($1)', [IMPORT_LOCK]);
  try {
    await restorePending(client, log);
    // Asked before indexes are set aside: the ways of placing episodes keep different keys.
    const steps = stepsForCatalogue(allSteps, (await client.query<{ n: number }>(LIVE_EPISODES_SQL)).rows[0]?.n);
    const tally = createMergeTally(steps, onProgress);
    tally.setRows((await client.query<StageRows>(STAGE_ROWS_SQL)).rows[0] as StageRows);
    tally.setRows((await client.query<StageRows>(STAGED_EPISODES_SQL)).rows[0] as StageRows);
    const bulk = await catalogueIsNearlyEmpty(client);
    const tables = [...new Set(steps.flatMap((step) => (step.bulkInto ? [step.bulkInto] : [])))];
    const uniqueToo = steps.flatMap((step) => (step.bulkInto && step.bulkUnique ? [step.bulkInto] : []));
    const rebuild = bulk ? await setAside(client, tables, uniqueToo) : null;
    if (bulk) log?.('bulk insert: the catalogue is nearly empty, so indexes and keys are rebuilt after each insert');
    await client.query('BEGIN');
    try {
      for (const step of steps) {
        tally.starting(step);
        const started = performance.now();
        const result = await client.query<{ n: string }>(step.sql);
        if (rebuild && step.bulkInto) await rebuild(step.bulkInto);
        const count = step.count ? Number(result.rows[0]?.n ?? 0) : (result.rowCount ?? 0);
        if (step.expectOne && count !== 1) throw new BaselineUnusable(step.expectOne);
        tally.record(step, count, performance.now() - started);
        logSlowStep(step, performance.now() - started, log);
      }
      if (rebuild) await client.query(RESTORED_SQL);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if (rebuild) await restorePending(client, log).catch(() => {}); // else the next import does it
      throw error;
    }
    return tally;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [IMPORT_LOCK]).catch(() => {});
  }
}

function createPgStaging(client: pg.Client): Staging {
  const copy = async <Row>(table: string, batches: AsyncIterable<Row[]>, line: (row: Row) => string) => {
    // A failing source destroys the COPY stream, which sends CopyFail: the session stays usable.
    await pipeline(copyLines(batches, line), client.query(copyStreams.from(`COPY ${table} FROM STDIN`)));
  };
  return {
    loadBasics: (batches) => copy('imdb_basics', batches, basicsLine),
    loadEpisodes: (batches) => copy('imdb_episodes', batches, episodeLine),
    loadRatings: (batches) => copy('imdb_ratings', batches, ratingLine),
    loadScope: async (table, imdbIds) => {
      async function* keys() {
        for (let at = 0; at < imdbIds.length; at += 5000) yield imdbIds.slice(at, at + 5000);
      }
      await copy(table, keys(), (imdbId: string) => `${imdbId}\n`);
    },
    finish: (sorted) => finishStaging(client, sorted),
  };
}

/** Builds the staging contract merge.ts reads, removing duplicates only where a file was out of order. */
async function finishStaging(client: pg.Client, sorted: Record<ImdbFile, boolean>): Promise<Record<ImdbFile, number>> {
  const rows = async (text: string) => (await client.query(text)).rowCount ?? 0;
  const count = async (table: string) =>
    Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
  // Of a repeated tconst the first line wins, as on SQLite: a freshly filled temp table's
  // ctid follows the order its rows were copied in.
  const unique = (columns: string) => (sorted.basics ? columns : `DISTINCT ON (imdb_id) ${columns}`);
  const order = sorted.basics ? '' : 'ORDER BY imdb_id, ctid';
  const basicsRows = sorted.basics ? 0 : await count('imdb_basics');
  const titleRows = await rows(`CREATE TEMP TABLE imdb_titles AS
    SELECT ${unique('imdb_id, type, display_name, original_title, start_year, end_year, runtime_minutes, search_name, genres')}
    FROM imdb_basics WHERE type <> 'episode' ${order}`);
  await rows(`CREATE TEMP TABLE imdb_title_genres AS
    SELECT imdb_id, unnest(string_to_array(genres, ',')) AS name FROM imdb_titles WHERE genres IS NOT NULL`);
  // Episode names are read once, by one join: a view over the staged rows is enough.
  const names = sorted.basics
    ? await rows(
        `CREATE TEMP VIEW imdb_episode_names AS SELECT imdb_id, display_name FROM imdb_basics WHERE type = 'episode'`,
      )
    : await rows(`CREATE TEMP TABLE imdb_episode_names AS SELECT ${unique('imdb_id, display_name')}
        FROM imdb_basics WHERE type = 'episode' ${order}`);
  const dropped: Record<ImdbFile, number> = {
    basics: sorted.basics ? 0 : basicsRows - titleRows - names,
    episodes: sorted.episodes ? 0 : await dedupe(client, 'imdb_episodes'),
    ratings: sorted.ratings ? 0 : await dedupe(client, 'imdb_ratings'),
  };
  await client.query('ANALYZE imdb_basics; ANALYZE imdb_titles; ANALYZE imdb_title_genres');
  await client.query('ANALYZE imdb_episodes; ANALYZE imdb_ratings');
  await client.query('ANALYZE imdb_title_scope; ANALYZE imdb_episode_scope; ANALYZE imdb_rating_scope');
  return dropped;
}

async function dedupe(client: pg.Client, table: string): Promise<number> {
  const before = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
  const kept = await client.query(
    `CREATE TEMP TABLE ${table}_unique AS SELECT DISTINCT ON (imdb_id) * FROM ${table} ORDER BY imdb_id, ctid`,
  );
  await client.query(`DROP TABLE ${table}; ALTER TABLE ${table}_unique RENAME TO ${table}`);
  return before - (kept.rowCount ?? 0);
}
