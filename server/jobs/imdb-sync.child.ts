/**
 * Child-process entry of the IMDb sync (forked by a supervisor with an IPC channel):
 * speaks job-protocol.ts. Arguments: [--from-dir DIR] [--force]. Configuration comes from
 * the environment the parent passes, parsed the same way as everywhere else.
 *
 * A cancel aborts a download at once. The import itself runs in one database transaction,
 * so a cancel during it records the run as cancelled and ends the process: the database
 * rolls the transaction back and keeps the previous snapshot.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/dialect.ts';
import type { Logger } from '../logger.ts';
import { CancelledError, runImdbSync } from './imdb-sync.ts';
import { isCancel, type JobMessage } from './job-protocol.ts';
import { createSyncJobsRepository } from './sync-jobs.repository.ts';

const CANCEL_GRACE_MS = 1000;

// After the parent went away the channel is closed; sending then would throw.
const send = (message: JobMessage) => process.connected && process.send?.(message);
const log: Logger = {
  info: (message) => send({ type: 'log', level: 'info', message }),
  warn: (message) => send({ type: 'log', level: 'warn', message }),
  error: (message) => send({ type: 'log', level: 'error', message }),
};

async function main() {
  const { values } = parseArgs({ options: { 'from-dir': { type: 'string' }, force: { type: 'boolean' } } });
  const config = loadConfig(process.env);
  const db = await openDatabase(config.database);
  const controller = new AbortController();
  let jobId: number | null = null;
  let finished = false;
  const stop = (reason: string) => {
    if (finished || controller.signal.aborted) return;
    controller.abort();
    setTimeout(async () => {
      if (jobId !== null) {
        await createSyncJobsRepository({ sql: db.sql }).finish(jobId, 'cancelled', null, reason);
      }
      send({ type: 'failed', error: 'cancelled', cancelled: true });
      process.exit(130);
    }, CANCEL_GRACE_MS).unref();
  };
  process.on('message', (message) => {
    if (isCancel(message)) stop('cancelled during import');
  });
  // A parent killed outright (the server or the tray) must not leave an import running
  // on its own: losing the IPC channel counts as a cancel.
  process.on('disconnect', () => stop('cancelled: the process that started it went away'));
  send({ type: 'ready', kind: 'imdb', pid: process.pid });
  try {
    const result = await runImdbSync({
      config,
      db,
      log,
      fromDir: values['from-dir'],
      force: values.force,
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
    if (process.connected) process.disconnect();
  }
}

main().catch((error) => {
  send({ type: 'failed', error: (error as Error).message ?? String(error), cancelled: false });
  process.exitCode = 1;
  if (process.connected) process.disconnect();
});
