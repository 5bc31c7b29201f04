/**
 * The IMDb sync job: fetch the three dataset files (or take them from a directory), skip
 * when they are the ones last imported, import them, and only then remember their hash.
 * The same code runs in the CLI's foreground and in a child process (imdb-sync.child.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Database } from '../db/sql-runner.ts';
import { hashDatasetFiles } from '../imdb/baseline.ts';
import { importImdbDataset } from '../imdb/import.ts';
import type { ImportStats } from '../imdb/stats.ts';
import type { Logger } from '../logger.ts';
import { downloadImdbDatasets, IMDB_DATASET_FILES } from './imdb-download.ts';
import type { JobProgress } from './job-protocol.ts';
import { createSyncJobsRepository } from './sync-jobs.repository.ts';

export const FILES_HASH_KEY = 'imdb_files_hash';

export interface ImdbSyncOptions {
  config: Config;
  /** For job history and sync state; the import opens its own connections. */
  db: Database;
  log: Logger;
  /** Import these files instead of downloading: no network at all. */
  fromDir?: string;
  /** Import even when the files are the ones imported last time. */
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
  /** Called with the sync_jobs id as soon as the run is recorded. */
  onStart?: (jobId: number) => void;
}

export type ImdbSyncResult =
  | { status: 'succeeded'; jobId: number; stats: ImportStats }
  | { status: 'skipped'; jobId: number; stats: { reason: string; hash: string } };

export class CancelledError extends Error {
  override name = 'CancelledError';
}

function rateTracker(onProgress: ImdbSyncOptions['onProgress']) {
  let stage = '';
  let started = 0;
  return (progress: Omit<JobProgress, 'rate'>) => {
    if (progress.stage !== stage) {
      stage = progress.stage;
      started = performance.now();
    }
    const seconds = (performance.now() - started) / 1000;
    onProgress?.({ ...progress, ...(seconds > 0.5 && { rate: Math.round(progress.done / seconds) }) });
  };
}

export async function runImdbSync(options: ImdbSyncOptions): Promise<ImdbSyncResult> {
  const { config, db, log, signal } = options;
  const jobs = createSyncJobsRepository({ sql: db.sql });
  const jobId = await jobs.start('imdb');
  options.onStart?.(jobId);
  const progress = rateTracker(options.onProgress);
  try {
    const dir = options.fromDir ? path.resolve(options.fromDir) : path.join(config.dataDir, 'imdb');
    if (!options.fromDir) {
      log.info(`imdb sync: checking ${config.imdbDatasetsUrl} for new files`);
      const results = await downloadImdbDatasets({
        baseUrl: config.imdbDatasetsUrl,
        dir,
        signal,
        onProgress: ({ file, bytes, total }) =>
          progress({ stage: `download ${file}`, done: bytes, unit: 'bytes', ...(total && { total }) }),
      });
      for (const r of results) log.info(`imdb sync: ${path.basename(r.file)} ${r.status} (${r.bytes} bytes)`);
    }
    const missing = IMDB_DATASET_FILES.filter((name) => !fs.existsSync(path.join(dir, name)));
    if (missing.length > 0) throw new Error(`${dir} lacks ${missing.join(', ')}`);
    if (signal?.aborted) throw new CancelledError('cancelled');

    const hash = await hashDatasetFiles(dir);
    const last = await db.sql.get<{ value: string }>(sql`SELECT value FROM sync_state WHERE key = ${FILES_HASH_KEY}`);
    if (last?.value === hash && !options.force) {
      const stats = { reason: 'the files are the ones imported last time (use --force to import anyway)', hash };
      await jobs.finish(jobId, 'skipped', stats);
      log.info(`imdb sync: skipped, ${stats.reason}`);
      return { status: 'skipped', jobId, stats };
    }

    const stats = await importImdbDataset({
      target: config.database,
      dir,
      baselineDir: path.join(config.dataDir, 'imdb', 'baseline'),
      filesHash: hash,
      log,
      onProgress: (p) =>
        p.phase === 'load'
          ? progress({ stage: `load ${p.file}`, done: p.bytesRead, total: p.bytesTotal, unit: 'bytes' })
          : progress({ stage: `merge ${p.stage}`, done: p.done, total: p.total, unit: 'rows' }),
    });
    // Saved last: a run that failed at any stage is retried in full next time.
    await db.sql.run(sql`
      INSERT INTO sync_state (key, value, updated_at) VALUES (${FILES_HASH_KEY}, ${hash}, ${new Date().toISOString()})
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
    await jobs.finish(jobId, 'succeeded', stats);
    return { status: 'succeeded', jobId, stats };
  } catch (error) {
    const cancelled = signal?.aborted === true || error instanceof CancelledError;
    await jobs.finish(jobId, cancelled ? 'cancelled' : 'failed', null, (error as Error).message ?? String(error));
    throw cancelled && !(error instanceof CancelledError) ? new CancelledError('cancelled') : error;
  }
}
