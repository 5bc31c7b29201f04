/**
 * SQLite side of the import: staging in TEMP tables keyed by tconst (WITHOUT ROWID, so
 * IMDb's sorted files append and every merge lookup is an index lookup; see
 * staging.sqlite.ts), then the shared merge in one IMMEDIATE transaction. titles_fts
 * follows through its triggers, or is rebuilt in one pass by a bulk insert
 * (bulk-insert.sqlite.ts).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { openSqliteConnection } from '../db/dialect.ts';
import { type BaselinePlan, withWholeFallback } from './baseline.ts';
import { catalogueIsNearlyEmpty, setAside } from './bulk-insert.sqlite.ts';
import { stageThenMerge } from './load.ts';
import { dialectSteps, LIVE_EPISODES_SQL, logSlowStep, type MergeStep, stepsForCatalogue } from './merge.ts';
import { createMergeTally, type MergeTally, STAGE_ROWS_SQL, type StageRows } from './merge-tally.ts';
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
    const aside = scratch && createStageAside(scratch.file);
    const staging = {
      ...createSqliteStaging(connection, { episodeNames: aside?.episodeNames }),
      ...(aside && { stageAside: aside.stageAside }),
    };
    return await stageThenMerge(baseline, { dir, staging, onProgress, log }, () => {
      if (scratch) connection.prepare('ATTACH DATABASE ? AS imdb_aside').run(scratch.file);
      return runMerge(connection, dialectSteps('sqlite', source, baseline), onProgress, log);
    });
  } finally {
    connection.close();
    await scratch?.remove();
  }
}

function runMerge(
  connection: BetterSqlite3.Database,
  steps: MergeStep[],
  onProgress?: (progress: ImportProgress) => void,
  log?: (message: string) => void,
): MergeTally {
  // Synchronous from BEGIN to COMMIT: nothing else can run on this connection in between.
  return connection
    .transaction(() => {
      const applicable = stepsForCatalogue(steps, connection.prepare(LIVE_EPISODES_SQL).pluck().get() as number);
      const tally = createMergeTally(applicable, onProgress);
      tally.setRows(connection.prepare(STAGE_ROWS_SQL).get() as StageRows);
      const bulk = catalogueIsNearlyEmpty(connection);
      if (bulk) log?.('bulk insert: the catalogue is nearly empty, so indexes are rebuilt after each insert');
      for (const step of applicable) {
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
      return tally;
    })
    .immediate();
}
