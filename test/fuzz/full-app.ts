/**
 * The app with every optional part switched on, so that every route it can register is
 * registered: a real TMDB provider (settings in a temporary folder, fetch refused — no test
 * reaches the network) and a stand-in job supervisor that never forks (the jobs routes'
 * validation is what is under test, not the children).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { Dialect } from '../../server/db/sql-runner.ts';
import type { JobSupervisor } from '../../server/jobs/supervisor.ts';
import { createMemoryLogger } from '../../server/logger.ts';
import { createRepositories } from '../../server/repositories.ts';
import { createTmdbSettingsStore } from '../../server/settings/tmdb-settings.store.ts';
import { createEnrichmentRepository } from '../../server/tmdb/enrichment.repository.ts';
import { createTmdbProvider } from '../../server/tmdb/tmdb.provider.ts';
import { TEST_TOKEN } from '../app.ts';
import { openTestDatabase } from '../databases.ts';

function standInJobs(): JobSupervisor {
  const view = (kind: string) => ({
    kind,
    pid: null,
    startedAt: new Date(0).toISOString(),
    ready: false,
    cancelling: false,
    stage: 'queued',
    done: 0,
    unit: 'rows',
  });
  return {
    start: (kind: string) => ({
      kind,
      pid: null,
      startedAt: new Date(0).toISOString(),
      view: () => view(kind),
      finished: new Promise(() => {}),
    }),
    cancel: () => false,
    snapshot: () => ({ running: [], last: {} }),
    subscribe: () => () => {},
    stopAll: async () => {},
  } as unknown as JobSupervisor;
}

export async function createFullApp(dialect: Dialect, { rateLimitPerMinute }: { rateLimitPerMinute?: number } = {}) {
  const db = await openTestDatabase(dialect);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-full-app-'));
  const log = createMemoryLogger();
  const tmdb = createTmdbProvider({
    tmdb: loadConfig({ MEDIACANON_DATA_DIR: dataDir }).tmdb,
    settings: createTmdbSettingsStore({ dataDir }),
    store: createEnrichmentRepository({ sql: db.sql }),
    log,
    fetch: async () => {
      throw new Error('no network in tests');
    },
  });
  const repositories = createRepositories(db);
  const shutdown = new AbortController();
  const app = createServer({
    db,
    repositories,
    adminToken: TEST_TOKEN,
    log,
    rateLimitPerMinute,
    jobs: standInJobs(),
    shutdown: shutdown.signal,
    tmdb,
  });
  return {
    app,
    db,
    log,
    async close() {
      shutdown.abort();
      repositories.carousels.stop();
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
