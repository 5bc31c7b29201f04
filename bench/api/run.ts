/**
 * npm run bench:api -- [--titles N] [--dialect sqlite|pg|both] [--duration S] [--explain]
 *
 * Fills a fresh database with N synthetic titles (data.ts), serves it with the real server
 * (startServer) and measures over HTTP: sequential search and show-detail latency, throughput
 * under 32 connections, and the original Go server's search SQL on the same data as a
 * baseline. Prints one table per dialect and writes test-output/bench-api-<dialect>.json.
 *
 * Repeated queries show the app as a popular query finds it, its own caches warm; the
 * "each query new" sets ask every query once, so they show what a cache miss costs.
 *
 * PostgreSQL: a fresh database on BENCH_DATABASE_URL when set, else a throwaway server.
 * Temp dirs, databases and servers are removed on the way out, also on error and Ctrl-C.
 * With --dialect both each dialect runs in its own child process, so each gets a clean heap
 * and its own peak RSS.
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../../server/config.ts';
import { createMemoryLogger } from '../../server/logger.ts';
import { startServer } from '../../server/start.ts';
import { type SearchMode, searchKey, searchMode } from '../../server/titles/search-key.ts';
import { type BaselineRunner, pgBaseline, sqliteBaseline } from './baseline.ts';
import { createDataset, type Dataset, rng } from './data.ts';
import { type ExplainedRequest, explainRequests, formatExplained } from './explain.ts';
import type { FillStep } from './fill.sqlite.ts';
import {
  BenchCheckError,
  getJson,
  type Latency,
  measureCalls,
  measureSequential,
  measureThroughput,
  type SequentialOptions,
} from './measure.ts';
import {
  formatTable,
  plainRow,
  type ReportRow,
  searchRow,
  showRow,
  TARGETS,
  throughputRow,
  writeJson,
} from './report.ts';

type DialectName = 'sqlite' | 'pg';

interface Options {
  titles: number;
  dialect: DialectName | 'both';
  duration: number;
  requests: number;
  maxSeconds: number;
  baselineSeconds: number;
  connections: number;
  seed: number;
  explain: boolean;
}

const USAGE = `usage: npm run bench:api -- [options]
  --titles N             titles to generate (default 1000000)
  --dialect D            sqlite, pg or both (default both)
  --duration S           seconds per throughput phase (default 10)
  --requests N           sequential requests per latency metric (default 200)
  --max-seconds S        stop a latency metric early after S seconds, if it has 50 samples (default 60)
  --baseline-seconds S   the same for each baseline metric, with at least 10 samples (default 30)
  --connections N        connections for the throughput phases (default 32)
  --seed N               data set seed (default 20240601)
  --explain              also print the app's SQL for each kind of request with its plan
PostgreSQL: BENCH_DATABASE_URL (a fresh database is created on it), else a throwaway server.`;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      titles: { type: 'string', default: '1000000' },
      dialect: { type: 'string', default: 'both' },
      duration: { type: 'string', default: '10' },
      requests: { type: 'string', default: '200' },
      'max-seconds': { type: 'string', default: '60' },
      'baseline-seconds': { type: 'string', default: '30' },
      connections: { type: 'string', default: '32' },
      seed: { type: 'string', default: '20240601' },
      explain: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, raw: string, min: number) => {
    const n = Number(raw.replaceAll('_', ''));
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number ≥ ${min} (got ${raw})`);
    return n;
  };
  const dialect = values.dialect;
  if (dialect !== 'sqlite' && dialect !== 'pg' && dialect !== 'both') {
    throw new UsageError(`--dialect must be sqlite, pg or both (got ${dialect})`);
  }
  return {
    titles: int('titles', values.titles, 1000),
    dialect,
    duration: int('duration', values.duration, 1),
    requests: int('requests', values.requests, 1),
    maxSeconds: int('max-seconds', values['max-seconds'], 1),
    baselineSeconds: int('baseline-seconds', values['baseline-seconds'], 1),
    connections: int('connections', values.connections, 1),
    seed: int('seed', values.seed, 0),
    explain: values.explain,
  };
}

class UsageError extends Error {
  override name = 'UsageError';
}

// --- cleanup -------------------------------------------------------------------------------

/** Undo steps, run last-in first-out, each bounded in time and none able to stop the rest. */
class Cleanup {
  private readonly steps: { label: string; run: () => Promise<unknown> | unknown }[] = [];
  private running: Promise<void> | null = null;

  add(label: string, run: () => Promise<unknown> | unknown) {
    this.steps.push({ label, run });
  }

  runAll(): Promise<void> {
    this.running ??= (async () => {
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        const { label, run } = step;
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            Promise.resolve().then(run),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error('timed out after 30 s')), 30_000);
            }),
          ]);
        } catch (error) {
          console.error(`cleanup: ${label} failed: ${(error as Error).message}`);
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.running;
  }
}

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

/** A fresh database on BENCH_DATABASE_URL or on a throwaway server; its URL. */
async function preparePostgres(cleanup: Cleanup, log: (line: string) => void): Promise<string> {
  let serverUrl = process.env.BENCH_DATABASE_URL;
  if (serverUrl) {
    log(`PostgreSQL: BENCH_DATABASE_URL ${redact(serverUrl)}`);
  } else {
    const { startThrowawayPostgres } = (await import(
      new URL('../../scripts/throwaway-pg.mjs', import.meta.url).href
    )) as ThrowawayPostgres;
    log('PostgreSQL: starting a throwaway server');
    const server = await startThrowawayPostgres();
    cleanup.add('stop the throwaway PostgreSQL server', () => server.stop());
    serverUrl = server.url;
  }
  const adminUrl = serverUrl;
  const name = `mediacanon_bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  cleanup.add(`drop database ${name}`, () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const { rows } = await adminQuery(adminUrl, 'SHOW server_version');
  log(`PostgreSQL ${rows[0]?.server_version}, database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs fill.ts in a child process, so the fill's memory stays out of this process's RSS. */
async function fillInChild(dialect: DialectName, target: string, options: Options, cleanup: Cleanup) {
  const child = fork(
    fileURLToPath(new URL('./fill.ts', import.meta.url)),
    ['--dialect', dialect, '--titles', String(options.titles), '--seed', String(options.seed)],
    { env: { ...process.env, BENCH_FILL_TARGET: target }, stdio: 'inherit' },
  );
  cleanup.add('stop the fill process', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let steps: FillStep[] | null = null;
  child.on('message', (message: { steps?: FillStep[] }) => {
    steps = message.steps ?? null;
  });
  const code = await new Promise<number | string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? signal ?? 'unknown'));
  });
  if (code !== 0 || !steps) throw new BenchCheckError(`the ${dialect} fill failed (exit ${code})`);
  return steps as FillStep[];
}

// --- response checks -----------------------------------------------------------------------

interface SearchBody {
  titles: { title_id: number; type: string; display_name: string; original_language?: string }[];
  total: number;
  page: number;
  per_page: number;
}

interface SearchExpectation {
  key: string;
  mode: SearchMode;
  type?: string;
  lang?: string;
  page: number;
}

const PER_PAGE = 100;

function searchPath(q: string, extra: { type?: string; lang?: string; page?: number } = {}) {
  const params = new URLSearchParams({ q });
  if (extra.type) params.set('type', extra.type);
  if (extra.lang) params.set('lang', extra.lang);
  if (extra.page) params.set('page', String(extra.page));
  return `/api/titles?${params}`;
}

/** Throws unless the body is a search answer consistent with the request; returns its total. */
function checkSearch(body: unknown, path: string, expect: SearchExpectation): number {
  const fail = (why: string): never => {
    throw new BenchCheckError(`GET ${path}: ${why}`);
  };
  const b = body as SearchBody;
  if (!b || !Array.isArray(b.titles) || typeof b.total !== 'number') fail('not a search answer');
  if (b.page !== expect.page || b.per_page !== PER_PAGE) fail(`page ${b.page}/per_page ${b.per_page}`);
  const expected = Math.max(0, Math.min(PER_PAGE, b.total - (expect.page - 1) * PER_PAGE));
  if (b.titles.length !== expected) fail(`${b.titles.length} titles on the page, total ${b.total}`);
  for (const t of b.titles) {
    const key = searchKey(t.display_name ?? '');
    if (expect.mode === 'substring' ? !key.includes(expect.key) : !key.startsWith(expect.key)) {
      fail(`"${t.display_name}" does not match ${JSON.stringify(expect.key)}`);
    }
    if (expect.type && t.type !== expect.type) fail(`title ${t.title_id} has type ${t.type}`);
    if (expect.lang && t.original_language !== expect.lang)
      fail(`title ${t.title_id} has language ${t.original_language}`);
  }
  return b.total;
}

interface ShowBody {
  show_id: number;
  seasons: { episodes?: unknown[] }[];
}

function checkShow(body: unknown, path: string, showId: number, episodes: number): number {
  const b = body as ShowBody;
  const count = Array.isArray(b?.seasons) ? b.seasons.reduce((sum, s) => sum + (s.episodes?.length ?? 0), 0) : -1;
  if (b?.show_id !== showId || count !== episodes) {
    throw new BenchCheckError(`GET ${path}: show ${b?.show_id} with ${count} episodes, expected ${episodes}`);
  }
  return count;
}

// --- the run for one dialect ---------------------------------------------------------------

const COMMON_WORDS = ['the', 'love', 'man', 'night', 'life', 'world', 'girl', 'house', 'war', 'day'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const PREFIXES = ['th', 'lo', 'ma', 'ni', 'ka', 'be', 'mo', 'sa', 'da', 're'];
const FILTERED: [string, 'movie' | 'show', string][] = [
  ['love', 'movie', 'fr'],
  ['man', 'show', 'ja'],
  ['night', 'movie', 'en'],
  ['world', 'show', 'es'],
  ['girl', 'movie', 'de'],
  ['life', 'show', 'en'],
  ['house', 'movie', 'hi'],
  ['day', 'show', 'ko'],
];
const RARE_WANTED = 20;
const WARMUP = 20;
const RARE_MAX_MATCHES = 50;

interface QuerySet {
  label: string;
  paths: string[];
  expectations: Map<string, SearchExpectation>;
}

function querySet(label: string, entries: { path: string; expect: SearchExpectation }[]): QuerySet {
  return { label, paths: entries.map((e) => e.path), expectations: new Map(entries.map((e) => [e.path, e.expect])) };
}

const substring = (q: string, extra: Partial<SearchExpectation> = {}): SearchExpectation => ({
  key: searchKey(q),
  mode: searchMode(searchKey(q)),
  page: 1,
  ...extra,
});

async function probeTotal(baseUrl: string, path: string, expect: SearchExpectation) {
  return checkSearch(await getJson(baseUrl, path), path, expect);
}

/** Picks the queries of each kind, checking on the live server that each is what it claims. */
async function chooseQueries(baseUrl: string, data: Dataset, uncachedCount: number, log: (line: string) => void) {
  const common = querySet(
    'common one-word',
    COMMON_WORDS.map((q) => ({ path: searchPath(q), expect: substring(q) })),
  );
  const totals = new Map<string, number>();
  for (const [path, expect] of common.expectations) {
    totals.set(expect.key, await probeTotal(baseUrl, path, expect));
  }

  // Rare: words from the tail of the frequency list that match a few titles (never one of
  // the head words kept for the uncached set below).
  const rareEntries: { path: string; expect: SearchExpectation }[] = [];
  const vocabulary = data.vocabulary;
  for (
    let rank = vocabulary.length - 1;
    rank >= uncachedCount + COMMON_WORDS.length && rareEntries.length < RARE_WANTED;
    rank = Math.floor(rank * 0.93)
  ) {
    for (const r of [rank, rank - 1, rank - 2]) {
      const word = vocabulary[r] as string;
      const path = searchPath(word);
      const expect = substring(word);
      const total = await probeTotal(baseUrl, path, expect);
      if (total >= 1 && total <= RARE_MAX_MATCHES && rareEntries.length < RARE_WANTED) {
        rareEntries.push({ path, expect });
        totals.set(expect.key, total);
      }
    }
  }
  if (rareEntries.length < 5) throw new BenchCheckError(`only ${rareEntries.length} rare words with 1–50 matches`);
  const rare = querySet('rare word', rareEntries);

  const prefix = querySet(
    '2-char prefix',
    PREFIXES.map((q) => ({ path: searchPath(q), expect: substring(q) })),
  );

  const filteredEntries: { path: string; expect: SearchExpectation }[] = [];
  for (const [q, type, lang] of FILTERED) {
    const path = searchPath(q, { type, lang });
    const expect = substring(q, { type, lang });
    if ((await probeTotal(baseUrl, path, expect)) > 0) filteredEntries.push({ path, expect });
  }
  if (filteredEntries.length === 0) throw new BenchCheckError('no type+lang filtered query has any match');
  const filtered = querySet('type+lang filter', filteredEntries);

  const deepEntries = COMMON_WORDS.filter((q) => (totals.get(q) ?? 0) > 49 * PER_PAGE).map((q) => ({
    path: searchPath(q, { page: 50 }),
    expect: substring(q, { page: 50 }),
  }));
  if (deepEntries.length === 0) throw new BenchCheckError('no common word has 50 pages of results; use more --titles');
  const deep = querySet('page 50', deepEntries);

  const shows = data.showsWith200Episodes.slice(0, 50);
  if (shows.length === 0) throw new BenchCheckError('no show with exactly 200 episodes; use more --titles');

  log(
    `queries: common ${COMMON_WORDS.map((q) => `${q}=${totals.get(q)}`).join(' ')}; ` +
      `rare ${rareEntries.length} words (${rareEntries.map((e) => totals.get(e.expect.key)).join(',')} matches); ` +
      `page 50 of ${deepEntries.map((e) => e.expect.key).join(',')}; ${shows.length} shows with 200 episodes`,
  );
  // Uncached: the next most frequent words, each asked once (never probed), so the app's own
  // caches cannot answer them; they still match hundreds to tens of thousands of titles.
  const uncached = querySet(
    'common, each query new',
    data.vocabulary
      .filter((word) => !COMMON_WORDS.includes(word))
      .slice(0, uncachedCount)
      .map((q) => ({ path: searchPath(q), expect: substring(q) })),
  );
  // The same for 2-character prefixes: letter pairs in a seeded order, each asked once.
  const random = rng(data.seed, 99, 0);
  const pairs = [...LETTERS].flatMap((a) => [...LETTERS].map((b) => a + b)).filter((p) => !PREFIXES.includes(p));
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j] as string, pairs[i] as string];
  }
  const uncachedPrefix = querySet(
    '2-char prefix, each query new',
    pairs.slice(0, uncachedCount).map((q) => ({ path: searchPath(q), expect: substring(q) })),
  );
  return { common, uncached, rare, prefix, uncachedPrefix, filtered, deep, shows, totals };
}

/** The app version measured: the commit, and the files changed on top of it (bench/ aside). */
function appVersion(): { commit: string; changed: string[] } {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8' }).trim();
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

function peakRssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

const MB = 1024 * 1024;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

async function benchDialect(dialect: DialectName, options: Options, cleanup: Cleanup) {
  const log = (line: string) => console.log(`[${dialect}] ${line}`);
  // Under --dialect both the parent's reading, taken before any of the bench's own work.
  const loadAtStart = Number(process.env.BENCH_LOAD_BEFORE ?? os.loadavg()[0] ?? 0);
  const version = appVersion();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `mediacanon-bench-${dialect}-`));
  cleanup.add(`remove ${tmp}`, () => fs.rmSync(tmp, { recursive: true, force: true }));

  const data = createDataset(options.titles, options.seed);
  log(
    `data set: ${data.titleCount} titles (${data.movieCount} movies, ${data.showCount} shows), ` +
      `${data.seasonCount} seasons, ${data.episodeCount} episodes, seed ${data.seed}`,
  );

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
  const fillSteps = await fillInChild(dialect, target, options, cleanup);
  const fillMs = performance.now() - fillStart;
  log(`fill time: ${(fillMs / 1000).toFixed(1)} s`);

  const config = loadConfig({
    // The benchmark is one client sending far more than a public client may.
    RATE_LIMIT_PER_MINUTE: '0',
    MEDIACANON_DATA_DIR: tmp,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    MEDIACANON_SAMPLE: 'off',
  });
  const serverLog = createMemoryLogger();
  const server = await startServer({ config, log: serverLog });
  cleanup.add('close the server', () => server.close());
  const baseUrl = server.url;
  log(`server at ${baseUrl}`);

  const rss = peakRssSampler();
  const queries = await chooseQueries(baseUrl, data, options.requests + WARMUP, log);
  const sequential: SequentialOptions = {
    requests: options.requests,
    warmup: WARMUP,
    maxSeconds: options.maxSeconds,
    minRequests: Math.min(50, options.requests),
  };

  const rows: ReportRow[] = [];
  const latencies: Record<string, Latency> = {};
  const latencySets = [
    queries.common,
    queries.uncached,
    queries.rare,
    queries.prefix,
    queries.uncachedPrefix,
    queries.filtered,
    queries.deep,
  ];
  for (const set of latencySets) {
    const result = await measureSequential(
      baseUrl,
      set.paths,
      (body, p) => checkSearch(body, p, set.expectations.get(p) as SearchExpectation),
      sequential,
    );
    latencies[set.label] = result;
    const avgMatches = Math.round(mean(result.results));
    rows.push(
      searchRow(`search: ${set.label} (n=${result.n}, ~${avgMatches} matches)`, result, {
        queries: set.paths.length,
        meanMatches: avgMatches,
      }),
    );
    log(`search ${set.label}: p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms (n=${result.n})`);
  }

  const showPaths = queries.shows.map((id) => `/api/shows/${id}`);
  const show = await measureSequential(
    baseUrl,
    showPaths,
    (body, p) => checkShow(body, p, Number(p.slice('/api/shows/'.length)), 200),
    sequential,
  );
  latencies['show detail'] = show;
  rows.push(showRow(`show detail, 200 episodes (n=${show.n})`, show, { shows: showPaths.length }));
  log(`show detail: p50 ${show.p50.toFixed(2)} ms, p99 ${show.p99.toFixed(2)} ms (n=${show.n})`);

  // Throughput: a mix of every kind of search; then show details.
  const mix: string[] = [];
  const kinds = [queries.common, queries.rare, queries.prefix, queries.filtered].map((s) => s.paths);
  for (let i = 0; i < Math.max(...kinds.map((k) => k.length)); i++) {
    for (const k of kinds) if (i < k.length) mix.push(k[i] as string);
  }
  const searchLoad = await measureThroughput(baseUrl, mix, options.connections, options.duration);
  rows.push(throughputRow(`throughput: search mix (${options.connections} conns, ${options.duration} s)`, searchLoad));
  log(`throughput search: ${searchLoad.requestsPerSecond.toFixed(0)} req/s`);
  const showLoad = await measureThroughput(baseUrl, showPaths, options.connections, options.duration);
  rows.push(throughputRow(`throughput: show detail (${options.connections} conns, ${options.duration} s)`, showLoad));
  log(`throughput show detail: ${showLoad.requestsPerSecond.toFixed(0)} req/s`);
  const servingRss = rss.stop();

  // Baseline: the Go server's three statements per search, straight to the database.
  const baseline: BaselineRunner =
    dialect === 'sqlite' ? await sqliteBaseline(databaseUrl.slice('sqlite:'.length)) : await pgBaseline(databaseUrl);
  cleanup.add('close the baseline connection', () => baseline.close());
  const baselineOptions: SequentialOptions = {
    requests: options.requests,
    warmup: 2,
    maxSeconds: options.baselineSeconds,
    minRequests: Math.min(10, options.requests),
  };
  const speedups: Record<string, { baselineP50: number; oursP50: number; speedup: number }> = {};
  for (const set of [queries.common, queries.uncached, queries.rare]) {
    const words = [...set.expectations.values()].map((e) => e.key);
    let matched = 0;
    const result = await measureCalls(
      words,
      async (q) => {
        matched += (await baseline.search(q)) > 0 ? 1 : 0;
      },
      baselineOptions,
    );
    if (matched === 0) throw new BenchCheckError(`baseline ${set.label}: no query matched anything`);
    const ours = latencies[set.label] as Latency;
    speedups[set.label] = { baselineP50: result.p50, oursP50: ours.p50, speedup: result.p50 / ours.p50 };
    rows.push(plainRow(`baseline Go SQL: ${set.label} (n=${result.n})`, result));
    log(`baseline ${set.label}: p50 ${result.p50.toFixed(1)} ms (n=${result.n})`);
  }
  await baseline.close();

  let explained: ExplainedRequest[] | null = null;
  if (options.explain) {
    const firstRare = [...queries.rare.expectations.values()][0]?.key ?? 'x';
    const uncachedKeys = [...queries.uncached.expectations.values()].map((e) => e.key);
    const midUncached = uncachedKeys[Math.floor(uncachedKeys.length / 2)] ?? 'x';
    const [fq, ftype, flang] = FILTERED[0] as [string, 'movie' | 'show', string];
    const showId = queries.shows[0] as number;
    const search = (q: string, extra: { type?: 'movie' | 'show'; lang?: string; page?: number } = {}) => ({
      q,
      type: extra.type,
      lang: extra.lang,
      limit: PER_PAGE,
      offset: ((extra.page ?? 1) - 1) * PER_PAGE,
    });
    explained = await explainRequests(server.db, [
      { label: 'search q=the', run: (r) => r.titles.search(search('the')) },
      { label: 'search q=love', run: (r) => r.titles.search(search('love')) },
      {
        label: `search q=${midUncached} (a word of the uncached set)`,
        run: (r) => r.titles.search(search(midUncached)),
      },
      { label: `search q=${firstRare} (rare)`, run: (r) => r.titles.search(search(firstRare)) },
      { label: 'search q=th (prefix)', run: (r) => r.titles.search(search('th')) },
      {
        label: `search q=${fq}&type=${ftype}&lang=${flang}`,
        run: (r) => r.titles.search(search(fq, { type: ftype, lang: flang })),
      },
      { label: 'search q=the&page=50', run: (r) => r.titles.search(search('the', { page: 50 })) },
      {
        label: `show detail ${showId}`,
        run: async (r) => {
          await r.shows.findById(showId);
          await Promise.all([r.seasons.listByShow(showId), r.episodes.listByShow(showId)]);
        },
      },
    ]);
  }

  const peakRss = process.resourceUsage().maxRSS * 1024;
  const loadAtEnd = os.loadavg()[0] ?? 0;
  const cpus = os.availableParallelism();
  const errors = serverLog.lines.filter((line) => line.startsWith('ERROR'));
  if (errors.length > 0) throw new BenchCheckError(`the server logged errors:\n${errors.slice(0, 5).join('\n')}`);

  // --- report ---
  const out: string[] = [];
  out.push('');
  out.push(
    `== bench:api [${dialect}] ${data.titleCount.toLocaleString('en')} titles, ` +
      `${data.episodeCount.toLocaleString('en')} episodes; fill ${(fillMs / 1000).toFixed(1)} s ` +
      `(${fillSteps.map((s) => `${s.step} ${(s.ms / 1000).toFixed(1)}`).join(', ')}) ==`,
  );
  out.push(
    `app: commit ${version.commit}` +
      (version.changed.length > 0 ? ` + ${version.changed.length} changed files in the working tree` : ' (clean tree)'),
  );
  out.push(formatTable(rows));
  out.push(
    `speedup vs the original Go server's SQL (baseline p50 / our p50): ` +
      Object.entries(speedups)
        .map(
          ([label, s]) =>
            `${label} ${s.speedup.toFixed(1)}× (${s.baselineP50.toFixed(1)} → ${s.oursP50.toFixed(2)} ms)`,
        )
        .join('; '),
  );
  out.push(
    `peak RSS of the server process: ${(peakRss / MB).toFixed(0)} MB (maxRSS; ${(servingRss / MB).toFixed(0)} MB ` +
      `sampled during the HTTP phases; includes tsx and the bench's own client; fill and load generator ` +
      `run in child processes${dialect === 'pg' ? ', PostgreSQL is a separate server' : ''})`,
  );
  out.push(
    `machine: ${cpus} CPUs, load average (1 min) ${loadAtStart.toFixed(1)} before the bench started, ${loadAtEnd.toFixed(1)} at the end` +
      (loadAtStart > cpus / 2
        ? ' — WARNING: the machine was busy before the run started; other work skews these numbers'
        : ''),
  );
  out.push(
    `targets (at 1M titles): search p50 ≤ ${TARGETS.search.p50} ms and p99 ≤ ${TARGETS.search.p99} ms; ` +
      `show detail p50 ≤ ${TARGETS.showDetail.p50} ms` +
      (data.titleCount < 1_000_000 ? ` — this run has only ${data.titleCount.toLocaleString('en')} titles` : ''),
  );
  const report = {
    dialect,
    startedAt: new Date().toISOString(),
    node: process.version,
    cpus,
    loadAverage: { beforeRun: loadAtStart, atEnd: loadAtEnd },
    app: version,
    options,
    dataset: {
      seed: data.seed,
      titles: data.titleCount,
      movies: data.movieCount,
      shows: data.showCount,
      seasons: data.seasonCount,
      episodes: data.episodeCount,
      showsWith200Episodes: data.showsWith200Episodes.length,
    },
    fill: { ms: fillMs, steps: fillSteps },
    rows,
    speedups,
    rss: { peakBytes: peakRss, servingPeakBytes: servingRss },
    queries: {
      common: queries.common.paths,
      uncached: queries.uncached.paths,
      rare: queries.rare.paths,
      prefix: queries.prefix.paths,
      uncachedPrefix: queries.uncachedPrefix.paths,
      filtered: queries.filtered.paths,
      deepPage: queries.deep.paths,
      matches: Object.fromEntries(queries.totals),
      shows: queries.shows,
    },
    explain: explained,
  };
  const file = writeJson(dialect, report);
  out.push(`written to ${path.relative(process.cwd(), file)}`);
  if (explained) out.push('', `-- the app's SQL per request [${dialect}] --`, formatExplained(explained));
  console.log(out.join('\n'));
}

// --- entry ---------------------------------------------------------------------------------

function childArgs(options: Options, dialect: DialectName): string[] {
  return [
    ...['--titles', String(options.titles), '--dialect', dialect, '--duration', String(options.duration)],
    ...['--requests', String(options.requests), '--max-seconds', String(options.maxSeconds)],
    ...['--baseline-seconds', String(options.baselineSeconds), '--connections', String(options.connections)],
    ...['--seed', String(options.seed)],
    ...(options.explain ? ['--explain'] : []),
  ];
}

/** --dialect both: each dialect in a child process of its own, one after the other. */
async function runBoth(options: Options): Promise<number> {
  let interrupted: NodeJS.Signals | null = null;
  let current: ReturnType<typeof spawn> | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted ??= signal;
    // A terminal's ^C reaches the child too; a signal sent to this process alone is passed on.
    current?.kill(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const failed: string[] = [];
  const loadBefore = os.loadavg()[0] ?? 0;
  for (const dialect of ['sqlite', 'pg'] as const) {
    if (interrupted) break;
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), ...childArgs(options, dialect)],
      { stdio: 'inherit', env: { ...process.env, BENCH_LOAD_BEFORE: String(loadBefore) } },
    );
    current = child;
    const code = await new Promise<number>((resolve) => {
      child.once('error', (error) => {
        console.error(`bench:api: could not start the ${dialect} run: ${error.message}`);
        resolve(1);
      });
      child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
    });
    current = null;
    if (code !== 0) failed.push(`${dialect} (exit ${code})`);
  }
  if (interrupted) return 130;
  if (failed.length > 0) console.error(`bench:api: failed: ${failed.join(', ')}`);
  return failed.length > 0 ? 1 : 0;
}

async function main() {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (options.dialect === 'both') {
    process.exitCode = await runBoth(options);
    return;
  }

  const dialect = options.dialect;
  const cleanup = new Cleanup();
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.error(`[${dialect}] ${signal}: cleaning up`);
    void cleanup.runAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await benchDialect(dialect, options, cleanup);
  } catch (error) {
    if (stopping) return;
    console.error(
      `[${dialect}] bench:api failed: ${error instanceof BenchCheckError ? error.message : (error as Error).stack}`,
    );
    process.exitCode = 1;
  } finally {
    if (!stopping) await cleanup.runAll();
  }
  // Nothing of the run may keep the process alive (pools, timers, workers).
  process.exit(process.exitCode ?? 0);
}

await main();
