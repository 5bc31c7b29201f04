/**
 * The TMDB backfill job: titles flagged needs_backfill_tmdb, most-voted first, each
 * enriched from TMDB (title-enrichment.ts) and its flag cleared as soon as it is stored —
 * so a killed run resumes where it stopped. Titles TMDB does not know are marked and not
 * asked again. `reset` flags every title again first (the original's reset script).
 * The same code runs in the CLI's foreground and in a child process (tmdb-sync.child.ts).
 */
import type { Config } from '../config.ts';
import type { Database } from '../db/sql-runner.ts';
import type { Logger } from '../logger.ts';
import { createTmdbSettingsStore } from '../settings/tmdb-settings.store.ts';
import { createEnrichmentRepository, type EnrichmentTitle } from '../tmdb/enrichment.repository.ts';
import { isTmdbError } from '../tmdb/tmdb.errors.ts';
import { createTmdbProvider, type TmdbRuntime } from '../tmdb/tmdb.provider.ts';
import { CancelledError } from './imdb-sync.ts';
import type { JobProgress } from './job-protocol.ts';
import { createSyncJobsRepository } from './sync-jobs.repository.ts';

export interface TmdbSyncOptions {
  config: Config;
  db: Database;
  log: Logger;
  /** Enrich at most this many titles in this run. */
  limit?: number;
  /** Flag every title again (and forget what TMDB did not know) before starting. */
  reset?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
  onStart?: (jobId: number) => void;
  /** TMDB services to use; built from config and the settings file when not given. */
  tmdb?: TmdbRuntime | null;
  /** Titles worked on at once; the shared rate limit paces the requests. */
  concurrency?: number;
  /** While TMDB is down (circuit open) the run waits; after this many waits in a row it fails. */
  maxOutageWaits?: number;
}

export interface TmdbSyncStats {
  reset: number;
  pending: number;
  processed: number;
  enriched: number;
  notFound: number;
  noImdbId: number;
  /** Left flagged after a transient failure, for the next run. */
  failed: number;
  ms: number;
}

export type TmdbSyncResult =
  | { status: 'succeeded'; jobId: number; stats: TmdbSyncStats }
  | { status: 'skipped'; jobId: number; stats: TmdbSyncStats & { reason: string } };

/** TMDB is off or has no key: nothing to run. */
export class TmdbNotConfiguredError extends Error {
  override name = 'TmdbNotConfiguredError';
}

export function tmdbRuntimeFromConfig(config: Config, db: Database, log: Logger): TmdbRuntime | null {
  const settings = createTmdbSettingsStore({ dataDir: config.dataDir, onProblem: (m) => log.warn(m) });
  const store = createEnrichmentRepository({ sql: db.sql });
  return createTmdbProvider({ tmdb: config.tmdb, settings, store, log }).current();
}

const BATCH = 100;

export async function runTmdbSync(options: TmdbSyncOptions): Promise<TmdbSyncResult> {
  const { config, db, log, signal, limit } = options;
  const started = performance.now();
  const jobs = createSyncJobsRepository({ sql: db.sql });
  const store = createEnrichmentRepository({ sql: db.sql });
  const jobId = await jobs.start('tmdb');
  options.onStart?.(jobId);
  const stats: TmdbSyncStats = {
    reset: 0,
    pending: 0,
    processed: 0,
    enriched: 0,
    notFound: 0,
    noImdbId: 0,
    failed: 0,
    ms: 0,
  };
  try {
    if (options.reset) {
      stats.reset = await store.resetAll();
      log.info(`tmdb sync: ${stats.reset} titles flagged for backfill again`);
    }
    const tmdb = options.tmdb === undefined ? tmdbRuntimeFromConfig(config, db, log) : options.tmdb;
    stats.pending = await store.pendingCount();
    if (!tmdb) {
      const reason = 'TMDB is off or has no key (set TMDB_ACCESS_TOKEN or TMDB_API_KEY, or enter one in Settings)';
      stats.ms = Math.round(performance.now() - started);
      await jobs.finish(jobId, 'skipped', { ...stats, reason });
      if (!options.reset) throw new TmdbNotConfiguredError(reason);
      return { status: 'skipped', jobId, stats: { ...stats, reason } };
    }
    const total = limit === undefined ? stats.pending : Math.min(limit, stats.pending);
    log.info(`tmdb sync: ${stats.pending} titles need TMDB data; enriching ${total}`);
    const report = progressReporter(options.onProgress, total);
    report(0);

    // Set when TMDB's circuit opened: the title stays flagged and uncounted, the run waits.
    let outage: { retryInMs: number; message: string } | null = null;
    let outageWaits = 0;
    const enrichOne = async (title: EnrichmentTitle) => {
      try {
        const outcome = await tmdb.titles.enrich(title);
        if (outcome === 'enriched') stats.enriched++;
        else if (outcome === 'not_found') stats.notFound++;
        else stats.noImdbId++;
      } catch (error) {
        // A refused key or TMDB down for good stops the run: nothing after would succeed.
        if (isTmdbError(error, 'unauthorized')) throw new Error(`TMDB refused the key: ${error.message}`);
        if (isTmdbError(error, 'unavailable')) {
          outage = { retryInMs: error.retryInMs ?? 1000, message: error.message };
          return;
        }
        if (!isTmdbError(error)) throw error;
        stats.failed++;
        log.warn(`tmdb sync: title ${title.id} (${title.imdb_id}) left for later: ${error.message}`);
      }
      stats.processed++;
      report(stats.processed);
    };

    while (stats.processed < total) {
      if (signal?.aborted) throw new CancelledError('cancelled');
      // Titles tried and left flagged in this run come first in the order: skip them.
      const batch = await store.nextBatch(Math.min(BATCH, total - stats.processed), stats.failed);
      if (batch.length === 0) break;
      const before = stats.processed;
      await forEachLimited(batch, options.concurrency ?? 8, enrichOne, signal);
      if (stats.processed > before) outageWaits = 0;
      const down = outage as { retryInMs: number; message: string } | null;
      if (down) {
        outage = null;
        if (++outageWaits > (options.maxOutageWaits ?? 10))
          throw new Error(`${down.message}; run again later to resume`);
        log.warn(`tmdb sync: TMDB is failing; waiting ${Math.ceil(down.retryInMs / 1000)} s before going on`);
        await abortableSleep(Math.max(100, down.retryInMs), signal);
      }
    }
    stats.ms = Math.round(performance.now() - started);
    log.info(
      `tmdb sync: ${stats.processed} titles in ${(stats.ms / 1000).toFixed(1)} s: ${stats.enriched} enriched, ` +
        `${stats.notFound} unknown to TMDB, ${stats.failed} left for later`,
    );
    await jobs.finish(jobId, 'succeeded', stats);
    return { status: 'succeeded', jobId, stats };
  } catch (error) {
    stats.ms = Math.round(performance.now() - started);
    if (error instanceof TmdbNotConfiguredError) throw error;
    const cancelled = signal?.aborted === true || error instanceof CancelledError;
    await jobs.finish(jobId, cancelled ? 'cancelled' : 'failed', stats, (error as Error).message ?? String(error));
    throw cancelled && !(error instanceof CancelledError) ? new CancelledError('cancelled') : error;
  }
}

/** Workers over `items`; the first error stops new work and is thrown once running work ends. */
async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>, signal?: AbortSignal) {
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (next < items.length && failure === null && !signal?.aborted) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== null) throw failure;
  if (signal?.aborted) throw new CancelledError('cancelled');
}

const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

function progressReporter(onProgress: TmdbSyncOptions['onProgress'], total: number) {
  const started = performance.now();
  return (done: number) => {
    const seconds = (performance.now() - started) / 1000;
    onProgress?.({
      stage: 'tmdb backfill',
      done,
      total,
      unit: 'rows',
      ...(seconds > 0.5 && { rate: Math.round(done / seconds) }),
    });
  };
}
