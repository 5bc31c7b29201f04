/** The run for one dialect: fill, serve, measure, report. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { createMemoryLogger } from '../../server/logger.ts';
import { startServer } from '../../server/start.ts';
import { appVersion } from '../shared/app-version.ts';
import type { Cleanup } from '../shared/cleanup.ts';
import type { DialectName } from '../shared/options.ts';
import { measureBaseline, type Speedups } from './baseline-phase.ts';
import { createDataset, type Dataset } from './data.ts';
import { reportDialect } from './dialect-report.ts';
import { measureDiscover } from './discover-phase.ts';
import { explainQueries } from './explain-phase.ts';
import { fillInChild } from './fill-child.ts';
import { measureLatencies, showPaths, WARMUP } from './latency-phase.ts';
import { BenchCheckError, type SequentialOptions } from './measure.ts';
import { measureMiddlewareCost } from './middleware-phase.ts';
import type { Options } from './options.ts';
import { peakRssSampler } from './peak-rss.ts';
import { preparePostgres } from './postgres.ts';
import { chooseQueries } from './queries.ts';
import type { ReportRow } from './report.ts';
import { measureThroughputs } from './throughput-phase.ts';

type Log = (line: string) => void;

/** A database filled with the data set; its URL for the server. */
async function filledDatabase(dialect: DialectName, tmp: string, options: Options, cleanup: Cleanup, log: Log) {
  let databaseUrl: string;
  let target: string;
  if (dialect === 'sqlite') {
    target = path.join(tmp, 'bench.db');
    databaseUrl = `sqlite:${target}`;
  } else {
    databaseUrl = await preparePostgres(cleanup, log);
    target = databaseUrl;
  }
  log('fill (in a child process)');
  const fillStart = performance.now();
  const steps = await fillInChild(dialect, target, options, cleanup);
  const ms = performance.now() - fillStart;
  log(`fill time: ${(ms / 1000).toFixed(1)} s`);
  return { databaseUrl, fill: { ms, steps } };
}

async function startBenchServer(tmp: string, databaseUrl: string, cleanup: Cleanup, log: Log) {
  const config = loadConfig({
    // The benchmark is one client sending far more than a public client may.
    RATE_LIMIT_PER_MINUTE: '0',
    MEDIACANON_DATA_DIR: tmp,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    MEDIACANON_SAMPLE: 'off',
  });
  const serverLog = createMemoryLogger();
  // One line per request would pile up in memory: request lines are made, then dropped.
  const server = await startServer({ config, log: { ...serverLog, info: () => {} } });
  cleanup.add('close the server', () => server.close());
  log(`server at ${server.url}`);
  return { server, serverLog };
}

function describeDataset(data: Dataset) {
  return (
    `data set: ${data.titleCount} titles (${data.movieCount} movies, ${data.showCount} shows), ` +
    `${data.seasonCount} seasons, ${data.episodeCount} episodes, seed ${data.seed}`
  );
}

export async function benchDialect(dialect: DialectName, options: Options, cleanup: Cleanup) {
  const log = (line: string) => console.log(`[${dialect}] ${line}`);
  // Under --dialect both the parent's reading, taken before any of the bench's own work.
  const loadAtStart = Number(process.env.BENCH_LOAD_BEFORE ?? os.loadavg()[0] ?? 0);
  const version = appVersion();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `mediacanon-bench-${dialect}-`));
  cleanup.add(`remove ${tmp}`, () => fs.rmSync(tmp, { recursive: true, force: true }));
  const data = createDataset(options.titles, options.seed);
  log(describeDataset(data));
  const { databaseUrl, fill } = await filledDatabase(dialect, tmp, options, cleanup, log);
  const { server, serverLog } = await startBenchServer(tmp, databaseUrl, cleanup, log);
  const baseUrl = server.url;

  const rss = peakRssSampler();
  const queries = await chooseQueries(baseUrl, data, options.requests + WARMUP, log);
  const sequential: SequentialOptions = {
    requests: options.requests,
    warmup: WARMUP,
    maxSeconds: options.maxSeconds,
    minRequests: Math.min(50, options.requests),
  };
  const rows: ReportRow[] = [];
  let speedups: Speedups = {};
  if (options.phases.includes('search')) {
    const latencies = await measureLatencies(baseUrl, queries, sequential, rows, log);
    await measureThroughputs(baseUrl, queries, showPaths(queries), options, rows, log);
    speedups = await measureBaseline(dialect, databaseUrl, { queries, latencies, options, cleanup }, rows, log);
  }
  if (options.phases.includes('discover')) await measureDiscover(baseUrl, sequential, options, rows, log);
  if (options.phases.includes('middleware')) {
    const paths = [...queries.common.paths, ...queries.filtered.paths];
    await measureMiddlewareCost(server.db, paths, options, cleanup, rows, log, serverLog);
  }
  const servingRss = rss.stop();
  const explained = options.explain ? await explainQueries(server.db, queries) : null;

  const peakRss = process.resourceUsage().maxRSS * 1024;
  const machine = { cpus: os.availableParallelism(), loadAtStart, loadAtEnd: os.loadavg()[0] ?? 0 };
  const errors = serverLog.lines.filter((line) => line.startsWith('ERROR'));
  if (errors.length > 0) throw new BenchCheckError(`the server logged errors:\n${errors.slice(0, 5).join('\n')}`);
  reportDialect({
    dialect,
    options,
    data,
    version,
    fill,
    rows,
    speedups,
    rss: { peakBytes: peakRss, servingPeakBytes: servingRss },
    machine,
    queries,
    explained,
  });
}
