/**
 * Child-process entry of the server the tray hosts (forked by main/server-host.ts with an
 * IPC channel): the same startServer as `mediacanon serve`, speaking host-protocol.ts with
 * the parent. Running apart from Electron's main process keeps the tray responsive while
 * the server is busy, and lets the tray restart a server that died.
 *
 * Configuration comes from the environment the parent passes (PORT per attempt, so the
 * parent can try the next port when this one is taken). It closes gracefully on a
 * `shutdown` command, SIGTERM, SIGINT or a parent that went away, and ignores SIGHUP.
 */
import { loadConfig } from './config.ts';
import {
  type HostCommand,
  type HostMessage,
  type JobEventView,
  jobViewsFromHistory,
  jobViewsFromSnapshot,
  parseHostCommand,
} from './host-protocol.ts';
import { isJobKind } from './jobs/job-children.ts';
import type { JobEvent } from './jobs/supervisor.ts';
import { createSyncJobsRepository } from './jobs/sync-jobs.repository.ts';
import { createConsoleLogger, createFileLogger, type Logger, logFilePath } from './logger.ts';
import { ListenError, type RunningServer, startServer } from './start.ts';

const SHUTDOWN_DEADLINE_MS = 10_000;

const send = (message: HostMessage) => {
  if (process.connected) process.send?.(message);
};

/** Started and finished reach the tray as events (notifications); progress only as a new snapshot. */
function toEventView(event: JobEvent): JobEventView | null {
  if (event.type === 'started') return { type: 'started', kind: event.job.kind };
  if (event.type === 'finished') {
    return { type: 'finished', kind: event.kind, status: event.status, error: event.error ?? null };
  }
  return null;
}

function listenFailure(error: unknown): HostMessage {
  const code =
    error instanceof ListenError ? 'EADDRINUSE' : String((error as NodeJS.ErrnoException)?.code ?? 'START_FAILED');
  return { type: 'listen-failed', code, message: (error as Error)?.message ?? String(error) };
}

/** Answers one parent command against the running server. */
function handleCommand(server: RunningServer, command: HostCommand, log: Logger) {
  switch (command.type) {
    case 'start-job': {
      const { kind, force } = command;
      try {
        if (!isJobKind(kind)) throw new Error(`there is no ${kind} job`);
        server.jobs.start(kind, { force });
      } catch (error) {
        const reason = (error as Error).message;
        log.warn(`host: ${kind} job not started: ${reason}`);
        send({ type: 'job-refused', kind, reason });
      }
      return;
    }
    case 'cancel-job':
      if (isJobKind(command.kind)) server.jobs.cancel(command.kind);
      return;
    case 'sign-in-url-request': {
      let url: string | null = null;
      try {
        url = server.signInUrl();
      } catch (error) {
        log.warn(`host: sign-in URL not available: ${(error as Error).message}`);
      }
      send({ type: 'sign-in-url', url, requestId: command.requestId });
      return;
    }
    case 'rotate-token':
      try {
        server.rotateAdminToken();
        send({ type: 'token-rotated' });
      } catch (error) {
        // ADMIN_TOKEN set by the owner: rotating is theirs to do.
        log.warn(`host: ${(error as Error).message}`);
      }
      return;
    case 'shutdown':
      return;
  }
}

async function main() {
  // A closed terminal or laptop lid must not take the server down.
  process.on('SIGHUP', () => {});
  const config = loadConfig(process.env);
  const log: Logger = createFileLogger({
    file: logFilePath(config.dataDir),
    prefix: 'server',
    mirror: createConsoleLogger('server'),
  });

  let server: RunningServer | null = null;
  let unsubscribe = () => {};
  // A stop asked for while the server is still starting (migrating, importing the sample)
  // is remembered and carried out as soon as it can close cleanly.
  let stopAsked: string | null = null;
  let closing = false;
  const shutdown = (why: string) => {
    stopAsked ??= why;
    const running = server;
    if (!running || closing) return;
    closing = true;
    void (async () => {
      log.info(`${why}: shutting down`);
      setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
      unsubscribe();
      try {
        await running.close();
      } catch (error) {
        log.error('shutdown failed', error);
        process.exitCode = 1;
      }
      process.disconnect?.();
    })();
  };

  // Listening from the start, so a shutdown during start-up is not lost.
  process.on('message', (raw) => {
    const command = parseHostCommand(raw);
    if (!command) return log.warn('host: ignored a malformed command from the parent');
    if (command.type === 'shutdown') return shutdown('shutdown');
    if (server && !stopAsked) return handleCommand(server, command, log);
    if (command.type === 'sign-in-url-request') send({ type: 'sign-in-url', url: null, requestId: command.requestId });
  });
  // Without its parent nobody can stop this process any more: stop it now.
  process.on('disconnect', () => shutdown('parent went away'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

  try {
    server = await startServer({ config, log });
  } catch (error) {
    log.error(`server could not start: ${(error as Error).message}`);
    send(listenFailure(error));
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }
  if (stopAsked) return shutdown(stopAsked);
  log.info(`MediaCanon serving ${server.url} (${config.database.dialect})`);

  const { jobs } = server;
  // The supervisor remembers only this process's runs: the tray's "last sync" comes from history until then.
  const earlier = await createSyncJobsRepository({ sql: server.db.sql })
    .list(20)
    .then(jobViewsFromHistory)
    .catch(() => []);
  const sendJobs = () => send({ type: 'jobs', jobs: jobViewsFromSnapshot(jobs.snapshot(), earlier) });
  unsubscribe = jobs.subscribe((event) => {
    if (event.type === 'log') return;
    const view = toEventView(event);
    if (view) send({ type: 'job-event', event: view });
    sendJobs();
  });
  send({ type: 'listening', url: server.url, port: server.port });
  sendJobs();
}

main().catch((error) => {
  send({ type: 'listen-failed', code: 'START_FAILED', message: (error as Error).message ?? String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
