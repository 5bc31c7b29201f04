/**
 * PostgreSQL side of the import: each file streams through COPY into staging (staging.pg.ts;
 * big files on two threads, stage-aside.pg.ts), then the shared merge runs in one
 * transaction. Into a (nearly) empty catalogue the inserts go in bulk (bulk-insert.pg.ts),
 * committed stage by stage. Readers are never locked out: they see the previous catalogue
 * until the commit (of each stage).
 */
import pg from 'pg';
import { type BaselinePlan, withWholeFallback } from './baseline.ts';
import { catalogueIsNearlyEmpty, restorePending, setAside } from './bulk-insert.pg.ts';
import { onceStaged, stageThenMerge } from './load.ts';
import { dialectSteps, LIVE_EPISODES_SQL, logSlowStep, type MergeStep, stepsForCatalogue } from './merge.ts';
import {
  createMergeTally,
  type MergeTally,
  STAGE_ROWS_SQL,
  STAGED_EPISODES_SQL,
  type StageRows,
} from './merge-tally.ts';
import { BaselineUnusable } from './snapshot-diff.ts';
import { type AsideSchema, createAsideSchema } from './stage-aside.pg.ts';
import { worthStagingAside } from './stage-aside.ts';
import { createPgStaging, createStagingTables, episodeSlotsSql, SLOTS_STAGED_SQL } from './staging.pg.ts';
import type { DialectImportResult, ImportProgress, ImportSource } from './stats.ts';

/**
 * The stages a bulk merge commits one by one: titles (with movies, shows and ratings),
 * genre links, seasons and episodes. mergeSteps keeps them in this order.
 */
const BULK_STAGE: Partial<Record<MergeStep['stage'], number>> = {
  genres: 1,
  titleGenres: 1,
  seasons: 2,
  episodes: 2,
};

// Any fixed number: two imports of one database take turns instead of racing.
const IMPORT_LOCK = 727_431_002;

export interface PgImportOptions {
  url: string;
  dir: string;
  source: ImportSource;
  baseline: BaselinePlan;
  onProgress?: (progress: ImportProgress) => void;
  log?: (message: string) => void;
  /** Whole files at least this large (title.episode and title.basics, gzipped) are staged on two threads. */
  stageAsideFromBytes?: number;
}

export async function importIntoPostgres(options: PgImportOptions): Promise<DialectImportResult> {
  return withWholeFallback(options.baseline, options.log, (plan) => attempt(options, plan));
}

async function attempt(
  { url, dir, source, onProgress, log, stageAsideFromBytes }: PgImportOptions,
  baseline: BaselinePlan,
): Promise<DialectImportResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let aside: AsideSchema | null = null;
  try {
    // temp_buffers only takes effect before the session's first temp table. This session's
    // joins and groupings run over millions of episodes: with 512 MB they stay in memory
    // (at full scale the episode placement took 75 s with 128 MB, 34 s with 512 MB).
    await client.query(`SET temp_buffers = '128MB'; SET work_mem = '512MB'; SET maintenance_work_mem = '256MB'`);
    // A delta stages few rows: one thread does.
    const twoThreads = !baseline.delta && (await worthStagingAside(dir, stageAsideFromBytes));
    aside = twoThreads ? await createAsideSchema(client, url, log) : null;
    await createStagingTables(client, { aside: aside !== null });
    const staging = {
      ...createPgStaging(client, { aside: aside !== null }),
      ...(aside && { stageAside: aside.stageAside }),
    };
    return await stageThenMerge(baseline, { dir, staging, onProgress, log }, (staged, read) =>
      runMerge(client, url, dialectSteps('pg', source, baseline), { staged, read }, onProgress, log),
    );
  } finally {
    await aside?.drop().catch(() => {}); // else the next import drops it
    await client.end().catch(() => {});
  }
}

async function runMerge(
  client: pg.Client,
  url: string,
  allSteps: MergeStep[],
  { staged, read }: { staged: Promise<unknown>; read: Promise<unknown> },
  onProgress?: (progress: ImportProgress) => void,
  log?: (message: string) => void,
): Promise<MergeTally> {
  // One import at a time, from setting indexes aside to the last one built again.
  await client.query('SELECT pg_advisory_lock($1)', [IMPORT_LOCK]);
  try {
    await restorePending(client, log);
    // Asked before indexes are set aside: the ways of placing episodes keep different keys.
    const liveEpisodes = (await client.query<{ n: number }>(LIVE_EPISODES_SQL)).rows[0]?.n;
    const steps = stepsForCatalogue(allSteps, liveEpisodes);
    const firstPlacement = steps.some((step) => step.liveEpisodes === 'none');
    const tally = createMergeTally(steps, onProgress);
    tally.setRows((await client.query<StageRows>(STAGE_ROWS_SQL)).rows[0] as StageRows);
    const bulk = await catalogueIsNearlyEmpty(client);
    const tables = [...new Set(steps.flatMap((step) => (step.bulkInto ? [step.bulkInto] : [])))];
    const uniqueToo = steps.flatMap((step) => (step.bulkInto && step.bulkUnique ? [step.bulkInto] : []));
    const keys = bulk ? await setAside(client, url, tables, uniqueToo) : null;
    if (bulk) log?.('bulk insert: the catalogue is nearly empty; indexes and keys are built as each stage commits');
    // The staging thread may still be writing title.episode's tables.
    const awaitEpisodes = onceStaged(staged, log, async () => {
      tally.setRows((await client.query<StageRows>(STAGED_EPISODES_SQL)).rows[0] as StageRows);
      if (firstPlacement && !(await client.query<{ staged: boolean }>(SLOTS_STAGED_SQL)).rows[0]?.staged) {
        await client.query(episodeSlotsSql('TEMP'));
      }
    });
    // In bulk, the rows go in without the keys set aside, and each stage commits before the
    // next (BULK_STAGE), its keys built on a second session meanwhile: on the second core,
    // as a merge is one session's statements, one at a time. The last stage's keys are built
    // on both sessions once it commits. The import leaves the previous catalogue or the
    // new one, stage by stage.
    const waiting: string[] = [];
    let bulkStage = 0; // the BULK_STAGE the open transaction belongs to
    await client.query('BEGIN');
    try {
      for (const step of steps) {
        if (keys && (BULK_STAGE[step.stage] ?? 0) > bulkStage) {
          bulkStage = BULK_STAGE[step.stage] ?? 0;
          // Every file is read whole before anything commits: a bad one leaves the catalogue as it was.
          await read;
          await client.query('COMMIT');
          keys.build(waiting.splice(0));
          await client.query('BEGIN');
        }
        if (step.readsEpisodes) await awaitEpisodes();
        tally.starting(step);
        const started = performance.now();
        const result = await client.query<{ n: string }>(step.sql);
        if (keys && step.bulkInto) {
          waiting.push(step.bulkInto);
          await keys.analyze(step.bulkInto);
        }
        const count = step.count ? Number(result.rows[0]?.n ?? 0) : (result.rowCount ?? 0);
        if (step.expectOne && count !== 1) throw new BaselineUnusable(step.expectOne);
        tally.record(step, count, performance.now() - started);
        logSlowStep(step, performance.now() - started, log);
      }
      await awaitEpisodes();
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      await keys?.finish().catch(() => {});
      if (keys) await restorePending(client, log).catch(() => {}); // else the next import does it
      throw error;
    }
    if (keys) {
      keys.build(waiting);
      await keys
        .finish(client)
        .catch((error: Error) => log?.(`building keys after the merge failed: ${error.message}`));
      // Builds here whatever the other sessions did not, and clears the record.
      await restorePending(client, log);
    }
    return tally;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [IMPORT_LOCK]).catch(() => {});
  }
}
