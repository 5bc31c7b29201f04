/** The measured steps 2–5, each in a child process of its own (child.ts). */
import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseTarget } from '../../server/config.ts';
import { openDatabase } from '../../server/db/dialect.ts';
import type { ImportStats } from '../../server/imdb/stats.ts';
import { BenchCheckError } from '../shared/bench-check-error.ts';
import type { Cleanup } from '../shared/cleanup.ts';
import type { DialectName } from '../shared/options.ts';
import type { Datasets } from './datasets.ts';
import type { PostgresServer } from './postgres.ts';
import { runJob } from './run-job.ts';
import { changesMade, linesRead, seconds } from './totals.ts';
import { type Counts, checkCounts, countCatalogue } from './verify.ts';

export interface StepContext {
  dialect: DialectName;
  data: Datasets;
  cleanup: Cleanup;
  log: (line: string) => void;
  createTarget: (name: string) => Promise<{ target: DatabaseTarget; drop: () => Promise<void> }>;
  /** The PostgreSQL server's CPU so far (null for SQLite, or a server out of reach). */
  serverCpu: (() => number) | null;
  /** Where the imports keep the files they read, as the app's sync does in its data dir. */
  baselineDir: string;
}

/** Fresh databases for the steps: on the PostgreSQL server, or SQLite files under tmp. */
export function targetFactory(dialect: DialectName, tmp: string, postgres: PostgresServer) {
  return async (name: string): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> => {
    if (dialect === 'pg') {
      const { url, drop } = await postgres.createDatabase(name);
      return { target: { dialect: 'pg', url }, drop };
    }
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir);
    return {
      target: { dialect: 'sqlite', path: path.join(dir, 'mediacanon.db') },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  };
}

/** 2. The raw load floor, in a database of its own, dropped once measured. */
export async function measureFloor({ dialect, data, cleanup, log, createTarget, serverCpu }: StepContext) {
  log('raw load floor (child process)');
  const floorDb = await createTarget('floor');
  const floor = await runJob(
    { kind: 'floor', label: `${dialect} floor`, target: floorDb.target, dir: data.day0 },
    cleanup,
    serverCpu,
  );
  await floorDb.drop();
  log(`floor: ${floor.result.lines} lines in ${seconds(floor.result.ms).toFixed(1)} s`);
  return floor;
}

/** 3. Full import of day 0 into an empty, migrated database (one per round). */
export async function measureFullImport(
  { dialect, data, cleanup, log, createTarget, serverCpu, baselineDir }: StepContext,
  floorLines: number,
  round: number,
) {
  const { target, drop } = await createTarget(`import${round}`);
  await (await openDatabase(target, { poolSize: 1 })).close();
  log('full import of day 0 (child process)');
  const job = { kind: 'import', label: `${dialect} day 0`, target, dir: data.day0, baselineDir } as const;
  const run = await runJob(job, cleanup, serverCpu);
  const stats = run.result.stats;
  if (linesRead(stats) !== floorLines) {
    throw new BenchCheckError(`the import read ${linesRead(stats)} lines, the floor ${floorLines}`);
  }
  const counts = await countCatalogue(target);
  const checks = checkCounts(counts, stats, null);
  log(
    `full import verified: ${counts.titles} titles (${counts.movies} movies, ${counts.shows} shows), ` +
      `${counts.seasons} seasons, ${counts.episodes} episodes, ${counts.rated} rated`,
  );
  return { target, drop, run, stats, counts, checks };
}

/**
 * Steps 2 and 3 `rounds` times in turn, each pair back to back; the round of median ratio
 * (the worse of the middle two for an even count) goes on, the other databases are dropped.
 */
export async function measureRounds(context: StepContext, rounds: number) {
  const measured: Round[] = [];
  for (let round = 1; round <= rounds; round++) {
    const floor = await measureFloor(context);
    const full = await measureFullImport(context, floor.result.lines, round);
    measured.push({ round, floor, full, ratio: full.run.result.ms / floor.result.ms });
  }
  const byRatio = [...measured].sort((a, b) => a.ratio - b.ratio);
  const median = byRatio[Math.floor(byRatio.length / 2)] as Round;
  for (const other of measured) if (other !== median) await other.full.drop();
  return { median, rounds: measured };
}

export interface Round {
  round: number;
  floor: FloorStep;
  full: FullImportStep;
  /** Full import wall time over the floor's. */
  ratio: number;
}

/**
 * 3b. The write floor: the full import's result written again into a fresh, migrated
 * database with nothing else to do (write-floor.ts), before the re-sync changes it.
 */
export async function measureWriteFloor(
  { dialect, cleanup, log, createTarget, serverCpu }: StepContext,
  source: DatabaseTarget,
) {
  log("write floor: the full import's result written alone (child process)");
  const { target, drop } = await createTarget('writefloor');
  await (await openDatabase(target, { poolSize: 1 })).close();
  const run = await runJob({ kind: 'writeFloor', label: `${dialect} write floor`, target, source }, cleanup, serverCpu);
  await drop();
  const { rowsMs, keysMs, keys } = run.result;
  log(
    `write floor: rows ${seconds(rowsMs).toFixed(1)} s, then ${keys} indexes and keys ${seconds(keysMs).toFixed(1)} s`,
  );
  return run;
}

/** 4. Next-day re-sync: day 1 on top. */
export async function measureResync(
  { dialect, data, cleanup, log, serverCpu, baselineDir }: StepContext,
  target: DatabaseTarget,
  fullCounts: Counts,
) {
  log('next-day re-sync with day 1 (child process)');
  const job = { kind: 'import', label: `${dialect} day 1`, target, dir: data.day1, baselineDir } as const;
  const run = await runJob(job, cleanup, serverCpu);
  const stats = run.result.stats;
  const counts = await countCatalogue(target);
  const checks = checkCounts(counts, stats, fullCounts);
  if (stats.stages.titles.inserted === 0 || stats.stages.ratings.updated === 0) {
    throw new BenchCheckError('the re-sync inserted no titles or updated no ratings: day 1 should have both');
  }
  return { run, stats, counts, checks };
}

/** 5. Unchanged files: the first sync imports day 1 again (no hash stored yet), the second skips. */
export async function measureUnchangedSync(
  { dialect, data, cleanup, log }: StepContext,
  target: DatabaseTarget,
  tmp: string,
) {
  log('sync of unchanged files, twice (child process)');
  const run = await runJob(
    { kind: 'sync', label: `${dialect} sync`, target, dir: data.day1, dataDir: path.join(tmp, 'data-dir') },
    cleanup,
  );
  const [firstSync, secondSync] = run.result.runs;
  if (!firstSync || !secondSync) throw new BenchCheckError('the sync process did not report two runs');
  if (firstSync.status !== 'succeeded') throw new BenchCheckError(`the first sync was ${firstSync.status}`);
  if (secondSync.status !== 'skipped') {
    throw new BenchCheckError(`the second sync of unchanged files was ${secondSync.status}, not skipped`);
  }
  if (run.result.problems.length > 0) {
    throw new BenchCheckError(`the sync logged problems:\n${run.result.problems.slice(0, 5).join('\n')}`);
  }
  const reimportStats = firstSync.stats as ImportStats;
  return { run, firstSync, secondSync, reimportStats, reimportChanges: changesMade(reimportStats) };
}

export type FloorStep = Awaited<ReturnType<typeof measureFloor>>;
export type FullImportStep = Awaited<ReturnType<typeof measureFullImport>>;
export type WriteFloorStep = Awaited<ReturnType<typeof measureWriteFloor>>;
export type ResyncStep = Awaited<ReturnType<typeof measureResync>>;
export type UnchangedSyncStep = Awaited<ReturnType<typeof measureUnchangedSync>>;
