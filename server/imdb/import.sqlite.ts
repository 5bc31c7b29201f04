/**
 * SQLite side of the import: staging in TEMP tables keyed by tconst (WITHOUT ROWID, so
 * IMDb's sorted files append and every merge lookup is an index lookup; see
 * staging.sqlite.ts), then the shared merge in one transaction (see runMerge). titles_fts
 * follows through its triggers, or is rebuilt in one pass by a bulk insert
 * (bulk-insert.sqlite.ts).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { openSqliteConnection } from '../db/dialect.ts';
import { type BaselinePlan, withWholeFallback } from './baseline.ts';
import { catalogueIsNearlyEmpty, setAside } from './bulk-insert.sqlite.ts';
import { onceStaged, stageThenMerge } from './load.ts';
import { dialectSteps, LIVE_EPISODES_SQL, logSlowStep, type MergeStep, stepsForCatalogue } from './merge.ts';
import {
  createMergeTally,
  type MergeTally,
  STAGE_ROWS_SQL,
  STAGED_EPISODES_SQL,
  type StageRows,
} from './merge-tally.ts';
import { BaselineUnusable } from './snapshot-diff.ts';
import { createStageAside, scratchFileFor } from './stage-aside.sqlite.ts';
import { ASIDE_TABLES, createSqliteStaging, createStagingTables } from './staging.sqlite.ts';
import type { DialectImportResult, ImportProgress, ImportSource } from './stats.ts';

export interface SqliteImportOptions {
  file: string;
  dir: string;
  source: ImportSource;
  baseline: BaselinePlan;
  onProgress?: (progress: ImportProgress) => void;
  log?: (message: string) => void;
  /** Whole files at least this large (title.episode and title.ratings, gzipped) are staged on two threads. */
  stageAsideFromBytes?: number;
}

export async function importIntoSqlite(options: SqliteImportOptions): Promise<DialectImportResult> {
  return withWholeFallback(options.baseline, options.log, (plan) => attempt(options, plan));
}

async function attempt(
  { file, dir, source, onProgress, log, stageAsideFromBytes }: SqliteImportOptions,
  baseline: BaselinePlan,
): Promise<DialectImportResult> {
  // A delta stages few rows: one thread does.
  const scratch = baseline.delta ? null : await scratchFileFor(dir, stageAsideFromBytes);
  const connection = openSqliteConnection(file);
  try {
    // Staging lives in the temp database: on disk (bounded memory) with a larger cache.
    connection.pragma('temp_store = FILE');
    connection.pragma('temp.cache_size = -65536');
    // The merge's sorts (index builds, ORDER BY, DISTINCT) run fastest as small sorted runs,
    // one sorted on a helper thread while the next fills. SQLite sizes the runs by the main
    // cache, so it stays small: at full scale the merge took 38 s with 8 MB, 46 s with 64 MB.
    connection.pragma('threads = 2');
    connection.pragma('main.cache_size = -8192');
    createStagingTables(connection, { except: scratch ? ASIDE_TABLES : [] });
    const staging = { ...createSqliteStaging(connection), ...(scratch && createStageAside(scratch.file)) };
    return await stageThenMerge(baseline, { dir, staging, onProgress, log }, (staged) => {
      // Outside the merge's transaction, which cannot attach.
      if (scratch) connection.prepare('ATTACH DATABASE ? AS imdb_aside').run(scratch.file);
      return runMerge(connection, dialectSteps('sqlite', source, baseline), staged, onProgress, log);
    });
  } finally {
    connection.close();
    await scratch?.remove();
  }
}

/**
 * The merge in one transaction. It begins as the staging thread may still be writing the
 * scratch file: BEGIN IMMEDIATE would take the write lock of every attached database, the
 * scratch file's too, and stop that thread. So the transaction begins deferred and takes
 * the main database's write lock by its first statement, and reads the scratch file only
 * once the thread is done (`staged`), before its first episode step and before COMMIT.
 */
async function runMerge(
  connection: BetterSqlite3.Database,
  steps: MergeStep[],
  staged: Promise<unknown>,
  onProgress?: (progress: ImportProgress) => void,
  log?: (message: string) => void,
): Promise<MergeTally> {
  connection.exec('BEGIN');
  try {
    connection.exec('DELETE FROM main.sync_state WHERE 0');
    const applicable = stepsForCatalogue(steps, connection.prepare(LIVE_EPISODES_SQL).pluck().get() as number);
    const tally = createMergeTally(applicable, onProgress);
    tally.setRows(connection.prepare(STAGE_ROWS_SQL).get() as StageRows);
    const bulk = catalogueIsNearlyEmpty(connection);
    if (bulk) log?.('bulk insert: the catalogue is nearly empty, so indexes are rebuilt after each insert');
    const awaitEpisodes = onceStaged(staged, log, () =>
      tally.setRows(connection.prepare(STAGED_EPISODES_SQL).get() as StageRows),
    );
    for (const step of applicable) {
      if (step.readsEpisodes) await awaitEpisodes();
      tally.starting(step);
      const started = performance.now();
      const restore = bulk && step.bulkInto ? setAside(connection, step.bulkInto) : null;
      const statement = connection.prepare(step.sql);
      const result = step.count ? Number(statement.pluck().get()) : statement.run().changes;
      restore?.();
      if (step.expectOne && result !== 1) throw new BaselineUnusable(step.expectOne);
      tally.record(step, result, performance.now() - started);
      logSlowStep(step, performance.now() - started, log);
    }
    await awaitEpisodes();
    connection.exec('COMMIT');
    return tally;
  } catch (error) {
    if (connection.inTransaction) connection.exec('ROLLBACK');
    throw error;
  }
}
