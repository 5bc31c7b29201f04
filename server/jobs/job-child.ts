/**
 * The body every sync job's child-process entry shares (forked by the supervisor with an
 * IPC channel): says ready, runs the job with progress and logs sent to the parent, and
 * ends with done or failed. A cancel aborts the job's signal; if the job has not stopped
 * within the grace period the run is recorded as cancelled and the process exits, which
 * rolls back any open transaction. A closed channel (the parent killed outright) counts as
 * a cancel, so no job runs on alone.
 */
import { type Config, loadConfig } from '../config.ts';
import { openDatabase } from '../db/dialect.ts';
import type { Database } from '../db/sql-runner.ts';
import type { Logger } from '../logger.ts';
import { CancelledError } from './imdb-sync.ts';
import { isCancel, type JobMessage, type JobProgress } from './job-protocol.ts';
import { createSyncJobsRepository } from './sync-jobs.repository.ts';

export interface JobRunContext {
  config: Config;
  db: Database;
  log: Logger;
  signal: AbortSignal;
  onStart: (jobId: number) => void;
  onProgress: (progress: JobProgress) => void;
}

export interface JobChildOptions {
  kind: string;
  cancelGraceMs: number;
  run(context: JobRunContext): Promise<{ status: 'succeeded' | 'skipped'; stats: unknown }>;
}

// After the parent went away the channel is closed; sending then would throw.
const send = (message: JobMessage) => process.connected && process.send?.(message);

const log: Logger = {
  info: (message) => send({ type: 'log', level: 'info', message }),
  warn: (message) => send({ type: 'log', level: 'warn', message }),
  error: (message) => send({ type: 'log', level: 'error', message }),
};

const leave = () => {
  if (process.connected) process.disconnect();
};

async function runChild({ kind, cancelGraceMs, run }: JobChildOptions) {
  const config = loadConfig(process.env);
  const db = await openDatabase(config.database);
  const controller = new AbortController();
  let jobId: number | null = null;
  let finished = false;
  const stop = (reason: string) => {
    if (finished || controller.signal.aborted) return;
    controller.abort();
    setTimeout(async () => {
      if (jobId !== null) await createSyncJobsRepository({ sql: db.sql }).finish(jobId, 'cancelled', null, reason);
      send({ type: 'failed', error: 'cancelled', cancelled: true });
      process.exit(130);
    }, cancelGraceMs).unref();
  };
  process.on('message', (message) => {
    if (isCancel(message)) stop('cancelled');
  });
  process.on('disconnect', () => stop('cancelled: the process that started it went away'));
  send({ type: 'ready', kind, pid: process.pid });
  try {
    const result = await run({
      config,
      db,
      log,
      signal: controller.signal,
      onStart: (id) => {
        jobId = id;
      },
      onProgress: (progress) => send({ type: 'progress', ...progress }),
    });
    finished = true;
    send({ type: 'done', status: result.status, stats: result.stats });
  } catch (error) {
    finished = true;
    send({ type: 'failed', error: (error as Error).message, cancelled: error instanceof CancelledError });
    process.exitCode = 1;
  } finally {
    await db.close();
    leave();
  }
}

/** Runs the job; argument errors thrown before it starts are reported as failed too. */
export function runJobChild(options: JobChildOptions | (() => JobChildOptions)) {
  try {
    const resolved = typeof options === 'function' ? options() : options;
    runChild(resolved).catch(fail);
  } catch (error) {
    fail(error);
  }
}

function fail(error: unknown) {
  send({ type: 'failed', error: (error as Error).message ?? String(error), cancelled: false });
  process.exitCode = 1;
  leave();
}
