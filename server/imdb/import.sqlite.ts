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
import { dialectSteps, logSlowStep, type MergeStep } from './merge.ts';
import { createMergeTally, type MergeTally, STAGE_ROWS_SQL, type StageRows } from './merge-tally.ts';
import { BaselineUnusable } from './snapshot-diff.ts';
import { createSqliteStaging, SQLITE_STAGING_TABLES } from './staging.sqlite.ts';
import type { DialectImportResult, ImportProgress, ImportSource } from './stats.ts';

export interface SqliteImportOptions {
  file: string;
  dir: string;
  source: ImportSource;
  baseline: BaselinePlan;
  onProgress?: (progress: ImportProgress) => void;
  log?: (message: string) => void;
}

export async function importIntoSqlite(options: SqliteImportOptions): Promise<DialectImportResult> {
  return withWholeFallback(options.baseline, options.log, (plan) => attempt(options, plan));
}

async function attempt(
  { file, dir, source, onProgress, log }: SqliteImportOptions,
  baseline: BaselinePlan,
): Promise<DialectImportResult> {
  const connection = openSqliteConnection(file);
  try {
    // Staging lives in the temp database: on disk (bounded memory) with a larger cache.
    connection.pragma('temp_store = FILE');
    connection.pragma('temp.cache_size = -65536');
    connection.pragma('main.cache_size = -65536');
    connection.exec(SQLITE_STAGING_TABLES);
    const staging = createSqliteStaging(connection);
    return await stageThenMerge(baseline, { dir, staging, onProgress, log }, () =>
      runMerge(connection, dialectSteps('sqlite', source, baseline), onProgress, log),
    );
  } finally {
    connection.close();
  }
}

function runMerge(
  connection: BetterSqlite3.Database,
  steps: MergeStep[],
  onProgress?: (progress: ImportProgress) => void,
  log?: (message: string) => void,
): MergeTally {
  const tally = createMergeTally(steps, onProgress);
  tally.setRows(connection.prepare(STAGE_ROWS_SQL).get() as StageRows);
  // Synchronous from BEGIN to COMMIT: nothing else can run on this connection in between.
  connection
    .transaction(() => {
      const bulk = catalogueIsNearlyEmpty(connection);
      if (bulk) log?.('bulk insert: the catalogue is nearly empty, so indexes are rebuilt after each insert');
      for (const step of steps) {
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
    })
    .immediate();
  return tally;
}
