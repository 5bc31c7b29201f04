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
import { failureText } from '../shared/bench-check-error.ts';
import { Cleanup, cleanUpOnSignals } from '../shared/cleanup.ts';
import { optionsOrExit } from '../shared/options.ts';
import { benchDialect } from './bench-dialect.ts';
import { parseOptions, USAGE } from './options.ts';
import { runBoth } from './run-both.ts';

async function main() {
  const options = optionsOrExit(parseOptions, USAGE);
  if (options.dialect === 'both') {
    process.exitCode = await runBoth(options);
    return;
  }

  const dialect = options.dialect;
  const cleanup = new Cleanup();
  const stopping = cleanUpOnSignals(cleanup, `[${dialect}]`);
  try {
    await benchDialect(dialect, options, cleanup);
  } catch (error) {
    if (stopping()) return;
    console.error(`[${dialect}] bench:api failed: ${failureText(error)}`);
    process.exitCode = 1;
  } finally {
    if (!stopping()) await cleanup.runAll();
  }
  // Nothing of the run may keep the process alive (pools, timers, workers).
  process.exit(process.exitCode ?? 0);
}

await main();
