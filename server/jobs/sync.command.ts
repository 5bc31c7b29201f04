/**
 * `mediacanon sync imdb [--from-dir DIR] [--force]` and `mediacanon sync tmdb [--limit N]
 * [--reset]`: a sync in the foreground with a progress bar on stderr. After an IMDb sync
 * the TMDB backfill runs too when TMDB is configured, as in the original.
 *
 * IMDb: Ctrl-C cancels: a download stops at once; an import in progress
 * is abandoned and its transaction rolled back, so the catalogue stays as it was.
 */
import cliProgress from 'cli-progress';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/dialect.ts';
import type { Logger } from '../logger.ts';
import { CancelledError, runImdbSync } from './imdb-sync.ts';
import type { JobProgress } from './job-protocol.ts';
import { createSyncJobsRepository } from './sync-jobs.repository.ts';
import { runTmdbSync, TmdbNotConfiguredError, tmdbRuntimeFromConfig } from './tmdb-sync.ts';

export const SYNC_HELP = `Usage: mediacanon sync imdb [--from-dir DIR] [--force] [options]
       mediacanon sync tmdb [--limit N] [--reset] [options]

Downloads title.basics, title.episode and title.ratings from IMDB_DATASETS_URL into
<data dir>/imdb (only when they changed) and imports them. Skips the import when the
files are the ones imported last time.

  --from-dir DIR       import the three .tsv.gz files in DIR, without any network
  --limit N            tmdb: enrich at most N titles (most-voted first); run again to go on
  --reset              tmdb: flag every title for enrichment again first
  --force              import even when the files did not change`;

const humanize = (n: number, unit: JobProgress['unit']) =>
  unit === 'bytes' ? `${(n / 1_048_576).toFixed(1)} MB` : n.toLocaleString('en');

function createProgressBar() {
  const bar = new cliProgress.SingleBar(
    {
      format: '{stage} [{bar}] {percentage}% | {doneText}{totalText} {rateText}',
      hideCursor: true,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 5000,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p: JobProgress) {
      const payload = {
        stage: p.stage.padEnd(32),
        doneText: p.unit === 'steps' ? '' : humanize(p.done, p.unit),
        totalText: p.total ? ` of ${humanize(p.total, p.unit)}` : '',
        rateText: p.rate ? `| ${humanize(p.rate, p.unit)}/s` : '',
      };
      if (!started) {
        bar.start(p.total ?? 1, p.done, payload);
        started = true;
      }
      bar.setTotal(p.total ?? Math.max(p.done, 1));
      bar.update(p.total ? p.done : 0, payload);
    },
    stop: () => started && bar.stop(),
  };
}

export async function runSyncCommand(
  target: string,
  flags: { fromDir?: string; force?: boolean; limit?: number; reset?: boolean },
  config: Config,
  log: Logger,
): Promise<number> {
  const db = await openDatabase(config.database);
  const bar = createProgressBar();
  const controller = new AbortController();
  let jobId: number | null = null;
  const onSigint = () => {
    if (controller.signal.aborted) return;
    controller.abort();
    log.warn('cancelling…');
    // An import cannot stop half-way; leaving now rolls its transaction back.
    setTimeout(async () => {
      bar.stop();
      if (jobId !== null) await createSyncJobsRepository({ sql: db.sql }).finish(jobId, 'cancelled', null, 'cancelled');
      process.exit(130);
    }, 1000).unref();
  };
  process.on('SIGINT', onSigint);
  try {
    const tmdbRun = (): Promise<number> =>
      runTmdbInForeground({
        config,
        db,
        log,
        limit: flags.limit,
        reset: flags.reset,
        signal: controller.signal,
        onStart: (id) => {
          jobId = id;
        },
      });
    if (target === 'tmdb') return await tmdbRun();
    if (target !== 'imdb') throw new Error(`unknown sync target '${target}' (expected: imdb or tmdb)`);
    const result = await runImdbSync({
      config,
      db,
      log,
      fromDir: flags.fromDir,
      force: flags.force,
      signal: controller.signal,
      onStart: (id) => {
        jobId = id;
      },
      onProgress: (p) => bar.update(p),
    });
    bar.stop();
    if (result.status === 'succeeded') log.info(`imdb sync done in ${(result.stats.ms.total / 1000).toFixed(1)} s`);
    if (!tmdbRuntimeFromConfig(config, db, log)) return 0;
    log.info('tmdb backfill: enriching the titles that need it');
    return await tmdbRun();
  } catch (error) {
    bar.stop();
    log.error(
      error instanceof CancelledError ? 'imdb sync cancelled' : `imdb sync failed: ${(error as Error).message}`,
    );
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    await db.close();
  }
}

/** The TMDB backfill with its own progress bar; 2 when TMDB is not configured. */
async function runTmdbInForeground(options: {
  config: Config;
  db: Awaited<ReturnType<typeof openDatabase>>;
  log: Logger;
  limit?: number;
  reset?: boolean;
  signal: AbortSignal;
  onStart: (jobId: number) => void;
}): Promise<number> {
  const bar = createProgressBar();
  try {
    const result = await runTmdbSync({ ...options, onProgress: (p) => bar.update(p) });
    bar.stop();
    const { processed, ms } = result.stats;
    options.log.info(`tmdb sync done: ${processed} titles in ${(ms / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    bar.stop();
    if (error instanceof TmdbNotConfiguredError) {
      options.log.error(`tmdb sync: ${error.message}`);
      return 2;
    }
    options.log.error(
      error instanceof CancelledError
        ? 'tmdb sync cancelled; run it again to resume'
        : `tmdb sync failed: ${(error as Error).message}`,
    );
    return 1;
  }
}
