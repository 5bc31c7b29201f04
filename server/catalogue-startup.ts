/**
 * What the catalogue needs before the server answers: runs a crash left "running" are
 * marked failed, and an empty database gets the bundled IMDb sample (through the same
 * importer as a full sync), so a first start has real titles to show, offline.
 */
import type { Config } from './config.ts';
import type { Database } from './db/sql-runner.ts';
import { importSampleIfEmpty } from './imdb/sample.ts';
import { createSyncJobsRepository } from './jobs/sync-jobs.repository.ts';
import type { Logger } from './logger.ts';

export async function prepareCatalogue({ config, db, log }: { config: Config; db: Database; log: Logger }) {
  const abandoned = await createSyncJobsRepository({ sql: db.sql }).failAbandoned();
  if (abandoned > 0) log.warn(`${abandoned} sync job(s) left running by an earlier process marked failed`);
  if (!config.loadSample) return;
  if (config.database.dialect === 'sqlite' && config.database.path === ':memory:') {
    log.warn('in-memory database: the bundled IMDb sample is not imported');
    return;
  }
  const stats = await importSampleIfEmpty({ target: config.database, log });
  if (stats) log.info(`empty catalogue: imported the bundled IMDb sample (${stats.stages.titles.inserted} titles)`);
}
