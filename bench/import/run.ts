/**
 * npm run bench:import -- [--scale S] [--dialect sqlite|pg|both] [--keep-data DIR] [--seed N]
 *
 * Measures the IMDb import (server/imdb/import.ts) on generated IMDb-format snapshots:
 *   1. day 0 and day 1 are generated once (../shared/tools/gen-imdb-dataset), in a temp dir
 *      or under --keep-data DIR, where a complete set is reused by later runs;
 *   2. the raw load floor: the same parser, rows bulk-loaded with nothing else (floor.ts);
 *   3. the full import of day 0 into an empty migrated database, then a count check;
 *   4. the next-day re-sync: day 1 on top, then the same check;
 *   5. unchanged files: runImdbSync with fromDir twice; the second must skip on the SHA-256.
 * Steps 2–5 each run in a child process of their own (child.ts), so each peak RSS is that
 * step's alone. One table per dialect; JSON in test-output/bench-import-<dialect>.json.
 *
 * Scale: the default 0.1 (~1.2M title.basics lines, 2.3M lines in all) takes about 2.5
 * minutes for both dialects on a 2-core machine, generation (~35 s) included. The spec's
 * targets are for --scale 1.0 (~11.5M title.basics lines, the real export): roughly ten
 * times as long, ~10-12 minutes per dialect plus ~6 minutes (and a few GB of RAM) for the
 * Python generator, so use --keep-data DIR to generate once and reuse.
 *
 * PostgreSQL: a fresh database on BENCH_DATABASE_URL when set, else a throwaway server.
 * Temp data, databases and the server are removed on the way out, also on error and Ctrl-C.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { DatabaseTarget } from '../../server/config.ts';
import { openDatabase } from '../../server/db/dialect.ts';
import { type ImportStats, MERGE_STAGES } from '../../server/imdb/stats.ts';
import { BenchCheckError, Cleanup, runJob } from './cleanup.ts';
import { type Datasets, prepareDatasets } from './datasets.ts';
import { formatStages, formatTable, mb, type ReportRow, TARGETS, writeJson } from './report.ts';
import { checkCounts, countCatalogue } from './verify.ts';

type DialectName = 'sqlite' | 'pg';

interface Options {
  scale: number;
  dialect: DialectName | 'both';
  keepData: string | null;
  seed: number;
}

const USAGE = `usage: npm run bench:import -- [options]
  --scale S          dataset scale (default 0.1; 1.0 ≈ the real IMDb export and the spec's figure)
  --dialect D        sqlite, pg or both (default both)
  --keep-data DIR    generate the datasets under DIR once and reuse them on later runs
  --seed N           generator seed (default 1)
PostgreSQL: BENCH_DATABASE_URL (a fresh database is created on it), else a throwaway server.`;

class UsageError extends Error {
  override name = 'UsageError';
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      scale: { type: 'string', default: '0.1' },
      dialect: { type: 'string', default: 'both' },
      'keep-data': { type: 'string' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const scale = Number(values.scale);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 4) {
    throw new UsageError(`--scale must be a number in (0, 4] (got ${values.scale})`);
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number (got ${values.seed})`);
  const dialect = values.dialect;
  if (dialect !== 'sqlite' && dialect !== 'pg' && dialect !== 'both') {
    throw new UsageError(`--dialect must be sqlite, pg or both (got ${dialect})`);
  }
  return { scale, dialect, keepData: values['keep-data'] ?? null, seed };
}

// --- PostgreSQL ----------------------------------------------------------------------------

interface ThrowawayPostgres {
  startThrowawayPostgres(options?: { port?: number }): Promise<{ url: string; stop(): Promise<void> }>;
}

async function adminQuery(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}

const redact = (url: string) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};

/** The server (BENCH_DATABASE_URL or a throwaway one, started on first use) and fresh databases on it. */
function postgresServer(cleanup: Cleanup, log: (line: string) => void) {
  let server: Promise<{ url: string; version: string }> | null = null;
  const start = async () => {
    let url = process.env.BENCH_DATABASE_URL;
    if (url) {
      log(`PostgreSQL: BENCH_DATABASE_URL ${redact(url)}`);
    } else {
      const { startThrowawayPostgres } = (await import(
        new URL('../../scripts/throwaway-pg.mjs', import.meta.url).href
      )) as ThrowawayPostgres;
      log('PostgreSQL: starting a throwaway server');
      const throwaway = await startThrowawayPostgres();
      cleanup.add('stop the throwaway PostgreSQL server', () => throwaway.stop());
      url = throwaway.url;
    }
    const { rows } = await adminQuery(url, 'SHOW server_version');
    return { url, version: String(rows[0]?.server_version) };
  };
  return {
    async version() {
      server ??= start();
      return (await server).version;
    },
    /** A fresh database; the returned function drops it (also done on the way out). */
    async createDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
      server ??= start();
      const adminUrl = (await server).url;
      const name = `mediacanon_bench_import_${label}_${randomBytes(4).toString('hex')}`;
      await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
      const drop = cleanup.add(`drop database ${name}`, () =>
        adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return { url: url.toString(), drop };
    },
  };
}

type PostgresServer = ReturnType<typeof postgresServer>;

// --- helpers -------------------------------------------------------------------------------

/** The app version measured: the commit, and the files changed on top of it (bench/ aside). */
function appVersion(): { commit: string; changed: string[] } {
  // Only trailing whitespace goes: porcelain lines start with a status column that may be a space.
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8' }).trimEnd();
  try {
    const changed = git('status', '--porcelain', '--untracked-files=all')
      .split('\n')
      .map((line) => line.slice(3))
      .filter((file) => file && !file.startsWith('bench/') && !file.startsWith('test-output/'));
    return { commit: git('rev-parse', '--short', 'HEAD'), changed };
  } catch {
    return { commit: 'unknown', changed: [] };
  }
}

const linesRead = (stats: ImportStats) => Object.values(stats.files).reduce((sum, f) => sum + f.lines, 0);
const changesMade = (stats: ImportStats) =>
  MERGE_STAGES.reduce((sum, stage) => {
    const s = stats.stages[stage];
    return sum + s.inserted + s.updated + s.removed;
  }, 0);
const loadAverage = () => os.loadavg().map((n) => Number(n.toFixed(2)));
const seconds = (ms: number) => ms / 1000;

// --- the run for one dialect ---------------------------------------------------------------

interface Shared {
  options: Options;
  data: Datasets;
  postgres: PostgresServer;
  baselineRssBytes: number;
  cleanup: Cleanup;
}

async function benchDialect(dialect: DialectName, { options, data, postgres, baselineRssBytes, cleanup }: Shared) {
  const label = dialect;
  const log = (line: string) => console.log(`[${label}] ${line}`);
  const loadAtStart = loadAverage();
  const cpus = os.availableParallelism();
  const version = appVersion();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `mediacanon-bench-import-${dialect}-`));
  cleanup.add(`remove ${tmp}`, () => fs.rmSync(tmp, { recursive: true, force: true }));

  const createTarget = async (name: string): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> => {
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
  const serverVersion = dialect === 'pg' ? await postgres.version() : null;
  if (serverVersion) log(`PostgreSQL ${serverVersion}`);

  // 2. The raw load floor, in a database of its own, dropped once measured.
  log('raw load floor (child process)');
  const floorDb = await createTarget('floor');
  const floor = await runJob(
    { kind: 'floor', label: `${label} floor`, target: floorDb.target, dir: data.day0 },
    cleanup,
  );
  await floorDb.drop();
  const floorLines = floor.result.lines;
  log(`floor: ${floorLines} lines in ${seconds(floor.result.ms).toFixed(1)} s`);

  // 3. Full import of day 0 into an empty, migrated database.
  const { target } = await createTarget('import');
  await (await openDatabase(target, { poolSize: 1 })).close();
  log('full import of day 0 (child process)');
  const full = await runJob({ kind: 'import', label: `${label} day 0`, target, dir: data.day0 }, cleanup);
  const fullStats = full.result.stats;
  if (linesRead(fullStats) !== floorLines) {
    throw new BenchCheckError(`the import read ${linesRead(fullStats)} lines, the floor ${floorLines}`);
  }
  const fullCounts = await countCatalogue(target);
  const fullChecks = checkCounts(fullCounts, fullStats, null);
  log(
    `full import verified: ${fullCounts.titles} titles (${fullCounts.movies} movies, ${fullCounts.shows} shows), ` +
      `${fullCounts.seasons} seasons, ${fullCounts.episodes} episodes, ${fullCounts.rated} rated`,
  );

  // 4. Next-day re-sync: day 1 on top.
  log('next-day re-sync with day 1 (child process)');
  const resync = await runJob({ kind: 'import', label: `${label} day 1`, target, dir: data.day1 }, cleanup);
  const resyncStats = resync.result.stats;
  const resyncCounts = await countCatalogue(target);
  const resyncChecks = checkCounts(resyncCounts, resyncStats, fullCounts);
  if (resyncStats.stages.titles.inserted === 0 || resyncStats.stages.ratings.updated === 0) {
    throw new BenchCheckError('the re-sync inserted no titles or updated no ratings: day 1 should have both');
  }

  // 5. Unchanged files: the first sync imports day 1 again (no hash stored yet), the second skips.
  log('sync of unchanged files, twice (child process)');
  const sync = await runJob(
    { kind: 'sync', label: `${label} sync`, target, dir: data.day1, dataDir: path.join(tmp, 'data-dir') },
    cleanup,
  );
  const [firstSync, secondSync] = sync.result.runs;
  if (!firstSync || !secondSync) throw new BenchCheckError('the sync process did not report two runs');
  if (firstSync.status !== 'succeeded') throw new BenchCheckError(`the first sync was ${firstSync.status}`);
  if (secondSync.status !== 'skipped') {
    throw new BenchCheckError(`the second sync of unchanged files was ${secondSync.status}, not skipped`);
  }
  if (sync.result.problems.length > 0) {
    throw new BenchCheckError(`the sync logged problems:\n${sync.result.problems.slice(0, 5).join('\n')}`);
  }
  const reimportStats = firstSync.stats as ImportStats;
  const reimportChanges = changesMade(reimportStats);

  // --- rows ---
  const fullMs = full.result.ms;
  const resyncMs = resync.result.ms;
  const fullRatio = fullMs / floor.result.ms;
  const resyncRatio = resyncMs / fullMs;
  const skipSeconds = seconds(secondSync.ms);
  // Hashing dominates a skip, and its cost is proportional to the files' size.
  const skipAtFull = skipSeconds / options.scale;
  const rate = (lines: number, ms: number) => lines / seconds(ms);
  const floorStep =
    dialect === 'pg'
      ? 'raw floor: COPY into UNLOGGED tables, no indexes'
      : 'raw floor: bare tables, 1 transaction, prepared INSERTs';
  const rows: ReportRow[] = [
    {
      step: floorStep,
      seconds: seconds(floor.result.ms),
      rowsPerSec: rate(floorLines, floor.result.ms),
      peakRssMb: mb(floor.maxRssBytes),
      ratio: '1.00× floor',
      target: '—',
      meets: null,
      detail: { ...floor.result },
    },
    {
      step: 'full import day 0: time',
      seconds: seconds(fullMs),
      rowsPerSec: rate(linesRead(fullStats), fullMs),
      peakRssMb: mb(full.maxRssBytes),
      ratio: `${fullRatio.toFixed(2)}× floor`,
      target: `≤ ${TARGETS.fullOverFloor.toFixed(1)}× floor`,
      meets: fullRatio <= TARGETS.fullOverFloor,
    },
    {
      step: 'full import day 0: peak RSS',
      seconds: null,
      rowsPerSec: null,
      peakRssMb: mb(full.maxRssBytes),
      ratio: null,
      target: `≤ ${TARGETS.peakRssMb} MB`,
      meets: mb(full.maxRssBytes) <= TARGETS.peakRssMb,
    },
    {
      step: `full import day 0: counts = stats (${fullChecks.length} checks)`,
      seconds: null,
      rowsPerSec: null,
      peakRssMb: null,
      ratio: null,
      target: 'all equal, none 0',
      meets: true,
      detail: { counts: fullCounts, checks: fullChecks },
    },
    {
      step: 'next-day re-sync day 1: time',
      seconds: seconds(resyncMs),
      rowsPerSec: rate(linesRead(resyncStats), resyncMs),
      peakRssMb: mb(resync.maxRssBytes),
      ratio: `${resyncRatio.toFixed(2)}× full`,
      target: `≤ ${TARGETS.resyncOverFull.toFixed(1)}× full`,
      meets: resyncRatio <= TARGETS.resyncOverFull,
    },
    {
      step: 'next-day re-sync day 1: peak RSS',
      seconds: null,
      rowsPerSec: null,
      peakRssMb: mb(resync.maxRssBytes),
      ratio: null,
      target: `≤ ${TARGETS.peakRssMb} MB`,
      meets: mb(resync.maxRssBytes) <= TARGETS.peakRssMb,
    },
    {
      step: `next-day re-sync day 1: counts = stats (${resyncChecks.length} checks)`,
      seconds: null,
      rowsPerSec: null,
      peakRssMb: null,
      ratio: null,
      target: 'all equal, none 0',
      meets: true,
      detail: { counts: resyncCounts, checks: resyncChecks },
    },
    {
      step: 'unchanged files, 1st sync (no hash yet: re-import)',
      seconds: seconds(firstSync.ms),
      rowsPerSec: rate(linesRead(reimportStats), firstSync.ms),
      peakRssMb: null,
      ratio: `${(firstSync.ms / fullMs).toFixed(2)}× full`,
      target: '—',
      meets: null,
      detail: { changes: reimportChanges },
    },
    {
      step: 'unchanged files, 2nd sync: SHA-256 skip',
      seconds: skipSeconds,
      rowsPerSec: null,
      peakRssMb: mb(sync.maxRssBytes),
      ratio: options.scale === 1 ? null : `≈${skipAtFull.toFixed(2)} s at 1.0`,
      target: `≤ ${TARGETS.skipSeconds} s at 1.0`,
      meets: skipSeconds <= TARGETS.skipSeconds && skipAtFull <= TARGETS.skipSeconds,
      detail: { status: secondSync.status, stats: secondSync.stats, estimatedSecondsAtScale1: skipAtFull },
    },
  ];

  const loadAtEnd = loadAverage();
  const basics = fullStats.files.basics.lines;
  const totalBytes = Object.values(data.bytes.day0).reduce((a, b) => a + b, 0);
  const out: string[] = [''];
  out.push(
    `== bench:import [${dialect}${serverVersion ? ` ${serverVersion}` : ''}] scale ${options.scale}: ` +
      `day 0 ${linesRead(fullStats).toLocaleString('en')} lines (${basics.toLocaleString('en')} title.basics), ` +
      `${(totalBytes / 1024 / 1024).toFixed(0)} MB gzipped ==`,
  );
  out.push(
    `app: commit ${version.commit}` +
      (version.changed.length > 0
        ? ` + ${version.changed.length} changed files in the working tree (${version.changed.join(', ')})`
        : ' (clean tree)'),
  );
  out.push(formatTable(rows));
  out.push(
    'wall s: the step inside its process (start-up excluded); rows/s: data lines of the three files per second; ' +
      'peak RSS: maxRSS of the step’s own process' +
      (dialect === 'pg' ? ' (the PostgreSQL server’s memory is not included)' : ''),
  );
  out.push(
    `a child process that only loads the modules peaks at ${mb(baselineRssBytes).toFixed(0)} MB (tsx, drizzle, pg, better-sqlite3); ` +
      `the import's own share is the rest`,
  );
  out.push(
    `identical re-import (1st sync of unchanged files) changed ${reimportChanges} rows` +
      (reimportChanges > 0 ? ' — WARNING: an import of the same files should change nothing' : ' (as it should)'),
  );
  out.push(
    `at scale 1.0 (linear estimate): floor ≈ ${(seconds(floor.result.ms) / options.scale / 60).toFixed(1)} min, ` +
      `full import ≈ ${(seconds(fullMs) / options.scale / 60).toFixed(1)} min, ` +
      `re-sync ≈ ${(seconds(resyncMs) / options.scale / 60).toFixed(1)} min; ` +
      `the targets are the spec's for 1.0, so at a smaller scale peak RSS in particular proves little`,
  );
  out.push(
    `machine: ${cpus} CPUs, load average ${loadAtStart.join(' / ')} (1/5/15 min) at the start, ${loadAtEnd.join(' / ')} at the end` +
      ((loadAtStart[0] ?? 0) > cpus / 2 ? ' — WARNING: the machine was busy; other work skews these numbers' : ''),
  );
  out.push('', `-- full import, day 0 [${dialect}] --`, formatStages(fullStats));
  out.push('', `-- next-day re-sync, day 1 [${dialect}] --`, formatStages(resyncStats));

  const report = {
    dialect,
    startedAt: new Date().toISOString(),
    node: process.version,
    cpus,
    loadAverage: { atStart: loadAtStart, atEnd: loadAtEnd },
    app: version,
    options,
    postgres: serverVersion,
    dataset: {
      scale: options.scale,
      seed: options.seed,
      generatedMs: data.generatedMs,
      reused: data.generatedMs === null,
      bytes: data.bytes,
    },
    targets: TARGETS,
    rows,
    baselineChildRssBytes: baselineRssBytes,
    floor: { ...floor.result, maxRssBytes: floor.maxRssBytes, processMs: floor.processMs },
    fullImport: { ms: fullMs, maxRssBytes: full.maxRssBytes, processMs: full.processMs, stats: fullStats },
    resync: { ms: resyncMs, maxRssBytes: resync.maxRssBytes, processMs: resync.processMs, stats: resyncStats },
    unchanged: { runs: sync.result.runs, maxRssBytes: sync.maxRssBytes },
    counts: { afterFull: fullCounts, afterResync: resyncCounts },
  };
  const file = writeJson(dialect, report);
  out.push('', `written to ${path.relative(process.cwd(), file)}`);
  console.log(out.join('\n'));
  return rows;
}

// --- entry ---------------------------------------------------------------------------------

async function main() {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const cleanup = new Cleanup();
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.error(`bench:import: ${signal}: cleaning up`);
    void cleanup.runAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const log = (line: string) => console.log(`[bench:import] ${line}`);
  const failed: string[] = [];
  try {
    log(`load average ${loadAverage().join(' / ')} (1/5/15 min) on ${os.availableParallelism()} CPUs`);
    const data = await prepareDatasets(options, cleanup, log);
    const baseline = await runJob({ kind: 'baseline', label: 'baseline' }, cleanup);
    const shared: Shared = {
      options,
      data,
      postgres: postgresServer(cleanup, log),
      baselineRssBytes: baseline.maxRssBytes,
      cleanup,
    };
    const dialects: DialectName[] = options.dialect === 'both' ? ['sqlite', 'pg'] : [options.dialect];
    for (const dialect of dialects) {
      if (stopping) break;
      try {
        await benchDialect(dialect, shared);
      } catch (error) {
        if (stopping) break;
        console.error(
          `[${dialect}] bench:import failed: ${error instanceof BenchCheckError ? error.message : (error as Error).stack}`,
        );
        failed.push(dialect);
      }
    }
  } catch (error) {
    if (!stopping) {
      console.error(
        `bench:import failed: ${error instanceof BenchCheckError ? error.message : (error as Error).stack}`,
      );
      failed.push('setup');
    }
  } finally {
    if (!stopping) await cleanup.runAll();
  }
  if (stopping) return;
  if (failed.length > 0) console.error(`bench:import: failed: ${failed.join(', ')}`);
  // Nothing of the run may keep the process alive (pools, timers).
  process.exit(failed.length > 0 ? 1 : 0);
}

await main();
