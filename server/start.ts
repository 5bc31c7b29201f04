/**
 * startServer(deps) → { url, close }: opens the database (migrating it), builds the app and
 * listens. close() ends open event streams, stops accepting requests, lets in-flight ones
 * finish and ends every sync job's child process, then closes the database — the order a
 * graceful quit needs. The tray reaches the job supervisor, sign-in links and token
 * rotation through the returned object (in-process, over its IPC bridge).
 */
import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { adminTokenFile, createAdminTokenStore } from './admin-token.ts';
import { createServer } from './app.ts';
import { prepareCatalogue } from './catalogue-startup.ts';
import { syncCollections } from './collections/collections.loader.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/dialect.ts';
import type { Database } from './db/sql-runner.ts';
import { scheduleEngagementCleanup } from './engagement/engagement.cleanup.ts';
import { createEngagementRecorder } from './engagement/engagement.recorder.ts';
import { signInPath } from './http/session.routes.ts';
import { createSessionStore } from './http/session.ts';
import { closeInterruptedRun } from './jobs/interrupted-runs.ts';
import { JOB_EXEC_ARGV, jobEnvironment } from './jobs/job-children.ts';
import { createJobSupervisor, type JobSupervisor } from './jobs/supervisor.ts';
import type { Logger } from './logger.ts';
import { createMetrics } from './observability/metrics.ts';
import { createRepositories } from './repositories.ts';
import { createTmdbSettingsStore } from './settings/tmdb-settings.store.ts';
import { createEnrichmentRepository } from './tmdb/enrichment.repository.ts';
import { createOnDemandEnrichment } from './tmdb/on-demand.ts';
import { createTmdbProvider } from './tmdb/tmdb.provider.ts';

export interface RunningServer {
  url: string;
  port: number;
  db: Database;
  /** Sync jobs as child processes; the admin API and the tray share it. */
  jobs: JobSupervisor;
  /** A one-time link that signs the owner's browser in (the tray's "Open Dashboard"). */
  signInUrl(): string;
  /** A new admin token, effective at once; every session ends. Throws for ADMIN_TOKEN. */
  rotateAdminToken(): string;
  close(): Promise<void>;
}

export interface StartDeps {
  config: Config;
  log: Logger;
}

export class ListenError extends Error {
  override name = 'ListenError';
}

export async function startServer({ config, log }: StartDeps): Promise<RunningServer> {
  const db = await openDatabase(config.database);
  let stopEngagement = async () => {};
  try {
    await prepareCatalogue({ config, db, log });
    const adminToken = createAdminTokenStore(config);
    const sessions = createSessionStore();
    if (!config.adminToken) log.info(`admin token: ${adminTokenFile(config.dataDir)}`);
    const repositories = createRepositories(db);
    await syncCollections({ collections: repositories.collections, log });
    const engagement = createEngagementRecorder({ sql: db.sql, log });
    const cleanup = scheduleEngagementCleanup({ sql: db.sql, log, beforeEach: () => engagement.flush() });
    stopEngagement = async () => {
      await cleanup.stop();
      await engagement.stop();
    };
    const jobs = createJobSupervisor({
      fork: (modulePath, args, options) => fork(modulePath, args, options),
      log,
      execArgv: JOB_EXEC_ARGV,
      env: jobEnvironment(config),
      // Asked after each IMDb sync: a key entered in Settings counts without a restart.
      tmdbEnabled: () => tmdb.status().enabled,
      carousels: repositories.carousels,
      onInterrupted: closeInterruptedRun(db.sql),
    });
    const shutdown = new AbortController();
    const metrics = createMetrics({ dialect: db.dialect, poolStats: db.poolStats });
    metrics.watchJobs(jobs);
    // TMDB: the key from the environment, else from the owner's settings; checked per use,
    // so switching it on or entering a key on the settings page takes effect at once.
    const enrichmentStore = createEnrichmentRepository({ sql: db.sql });
    const tmdb = createTmdbProvider({
      tmdb: config.tmdb,
      settings: createTmdbSettingsStore({ dataDir: config.dataDir, onProblem: (message) => log.warn(message) }),
      store: enrichmentStore,
      log,
      observe: (event) => metrics.observeTmdbCall({ ...event, status: event.status === 'error' ? null : event.status }),
    });
    const tmdbStatus = tmdb.status();
    log.info(
      tmdbStatus.enabled
        ? `TMDB enrichment on (key from ${tmdbStatus.source === 'env' ? 'the environment' : 'the settings'})`
        : 'TMDB enrichment off (no key, or switched off in Settings)',
    );
    const enrichment = createOnDemandEnrichment({
      services: () => tmdb.current(),
      store: enrichmentStore,
      log,
      budgetMs: config.tmdb.enrichBudgetMs,
    });
    const app = createServer({
      db,
      repositories,
      adminToken,
      sessions,
      jobs,
      shutdown: shutdown.signal,
      log,
      rateLimitPerMinute: config.rateLimitPerMinute,
      trustProxy: config.trustProxy,
      engagement,
      metrics,
      enrichment,
      tmdb,
      metricsPublic: config.metricsPublic,
      requestLog: config.requestLog,
    });
    const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new ListenError(`port ${config.port} on ${config.host} is already in use (set PORT or --port)`)
            : error,
        ),
      );
    });
    // Slow or idle clients must not hold connections open forever.
    Object.assign(server, { headersTimeout: 15_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 });
    // The first carousel build takes seconds on a large catalogue: start it now, in the
    // background, so the first Discover view finds it ready (and the schedule running).
    repositories.carousels.current().catch((error) => log.error('carousels: first build failed', error));
    const { port } = server.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    let closing: Promise<void> | null = null;
    return {
      url: `http://${host}:${port}`,
      port,
      db,
      jobs,
      signInUrl: () => `http://${localHost(config.host)}:${port}${signInPath(sessions.mintSignInToken().token)}`,
      rotateAdminToken: () => adminToken.rotate(),
      close() {
        closing ??= (async () => {
          shutdown.abort();
          await Promise.all([
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
            }),
            // Children write to the database: they end before it closes.
            jobs.stopAll(),
          ]);
          repositories.carousels.stop();
          // Enrichment still running from the last views is stored unless TMDB is slow to answer.
          await Promise.race([enrichment.idle(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
          // Views counted by the last requests are written before the database closes.
          await stopEngagement();
          await db.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await stopEngagement();
    await db.close();
    throw error;
  }
}

/** The browser opens the sign-in link on this machine: a wildcard bind address is not one to open. */
function localHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
