/**
 * startServer(deps) → { url, close }: opens the database (migrating it), builds the app and
 * listens. close() stops accepting requests, lets in-flight ones finish, then closes the
 * database — the order a graceful quit needs.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { adminTokenFile, resolveAdminToken } from './admin-token.ts';
import { createServer } from './app.ts';
import { prepareCatalogue } from './catalogue-startup.ts';
import { syncCollections } from './collections/collections.loader.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/dialect.ts';
import type { Database } from './db/sql-runner.ts';
import { scheduleEngagementCleanup } from './engagement/engagement.cleanup.ts';
import { createEngagementRecorder } from './engagement/engagement.recorder.ts';
import type { Logger } from './logger.ts';
import { createMetrics } from './observability/metrics.ts';
import { createRepositories } from './repositories.ts';

export interface RunningServer {
  url: string;
  port: number;
  db: Database;
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
    const adminToken = resolveAdminToken(config);
    if (!config.adminToken) log.info(`admin token: ${adminTokenFile(config.dataDir)}`);
    const repositories = createRepositories(db);
    await syncCollections({ collections: repositories.collections, log });
    const engagement = createEngagementRecorder({ sql: db.sql, log });
    const cleanup = scheduleEngagementCleanup({ sql: db.sql, log, beforeEach: () => engagement.flush() });
    stopEngagement = async () => {
      await cleanup.stop();
      await engagement.stop();
    };
    const app = createServer({
      db,
      repositories,
      adminToken,
      log,
      rateLimitPerMinute: config.rateLimitPerMinute,
      trustProxy: config.trustProxy,
      engagement,
      metrics: createMetrics({ dialect: db.dialect, poolStats: db.poolStats }),
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
    const { port } = server.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    let closing: Promise<void> | null = null;
    return {
      url: `http://${host}:${port}`,
      port,
      db,
      close() {
        closing ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          });
          repositories.carousels.stop();
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
