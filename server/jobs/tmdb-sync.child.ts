/**
 * Child-process entry of the TMDB backfill (forked by a supervisor with an IPC channel):
 * speaks job-protocol.ts. Arguments: [--limit N] [--reset]. Configuration comes from the
 * environment the parent passes, the TMDB key also from the settings file in the data dir.
 *
 * Each title is stored as it is enriched, so a cancel (or a kill) loses nothing: the run
 * stops after the titles in flight and the next run resumes with the titles still flagged.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/dialect.ts';
import type { Logger } from '../logger.ts';
import { CancelledError } from './imdb-sync.ts';
import { isCancel, type JobMessage } from './job-protocol.ts';
import { createSyncJobsRepository } from './sync-jobs.repository.ts';
import { runTmdbSync } from './tmdb-sync.ts';

// A Retry-After wait can be long; a cancel does not wait for it.
const CANCEL_GRACE_MS = 3000;

const send = (message: JobMessage) => process.send?.(message);
const log: Logger = {
  info: (message) => send({ type: 'log', level: 'info', message }),
  warn: (message) => send({ type: 'log', level: 'warn', message }),
  error: (message) => send({ type: 'log', level: 'error', message }),
};

async function main() {
  const { values } = parseArgs({ options: { limit: { type: 'string' }, reset: { type: 'boolean' } } });
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
    throw new Error(`--limit must be a positive whole number (got ${JSON.stringify(values.limit)})`);
  }
  const config = loadConfig(process.env);
  const db = await openDatabase(config.database);
  const controller = new AbortController();
  let jobId: number | null = null;
  process.on('message', (message) => {
    if (!isCancel(message) || controller.signal.aborted) return;
    controller.abort();
    setTimeout(async () => {
      if (jobId !== null) await createSyncJobsRepository({ sql: db.sql }).finish(jobId, 'cancelled', null, 'cancelled');
      send({ type: 'failed', error: 'cancelled', cancelled: true });
      process.exit(130);
    }, CANCEL_GRACE_MS).unref();
  });
  send({ type: 'ready', kind: 'tmdb', pid: process.pid });
  try {
    const result = await runTmdbSync({
      config,
      db,
      log,
      limit,
      reset: values.reset,
      signal: controller.signal,
      onStart: (id) => {
        jobId = id;
      },
      onProgress: (progress) => send({ type: 'progress', ...progress }),
    });
    send({ type: 'done', status: result.status, stats: result.stats });
  } catch (error) {
    send({ type: 'failed', error: (error as Error).message, cancelled: error instanceof CancelledError });
    process.exitCode = 1;
  } finally {
    await db.close();
    process.disconnect?.();
  }
}

main().catch((error) => {
  send({ type: 'failed', error: (error as Error).message ?? String(error), cancelled: false });
  process.exitCode = 1;
  process.disconnect?.();
});
