/**
 * Measurements: sequential request latency over real HTTP (fetch with keep-alive, every
 * response checked), throughput with autocannon in a child process, and percentiles.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BenchCheckError } from '../shared/bench-check-error.ts';
import type { AutocannonResult, LoadRequest } from './load.ts';

export interface Latency {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of already sorted samples. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function summarize(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export interface SequentialOptions {
  requests: number;
  warmup: number;
  /** Stop early (after at least minRequests) once this much time has been spent measuring. */
  maxSeconds: number;
  minRequests: number;
}

export { BenchCheckError };

/** GETs a path and returns the parsed JSON body, failing on anything but 200. */
export async function getJson(baseUrl: string, path: string): Promise<unknown> {
  const response = await fetch(baseUrl + path);
  const text = await response.text();
  if (response.status !== 200) throw new BenchCheckError(`GET ${path} → ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/**
 * Requests `paths` in rotation, one at a time, timing each from the call to fetch until the
 * whole body has arrived. Every body is parsed and passed to `check` (outside the timing),
 * which throws on a wrong answer; what it returns (e.g. a result count) is collected.
 */
export async function measureSequential(
  baseUrl: string,
  paths: string[],
  check: (body: unknown, path: string) => number,
  options: SequentialOptions,
): Promise<Latency & { results: number[] }> {
  if (paths.length === 0) throw new BenchCheckError('no request paths to measure');
  for (let i = 0; i < options.warmup; i++) {
    const path = paths[i % paths.length] as string;
    check(await getJson(baseUrl, path), path);
  }
  const samples: number[] = [];
  const results: number[] = [];
  const started = performance.now();
  for (let i = 0; i < options.requests; i++) {
    if (i >= options.minRequests && performance.now() - started > options.maxSeconds * 1000) break;
    // The rotation goes on from where the warm-up left it: given at least warm-up + requests
    // paths, no measured path has been asked before.
    const path = paths[(options.warmup + i) % paths.length] as string;
    const start = performance.now();
    const response = await fetch(baseUrl + path);
    const text = await response.text();
    samples.push(performance.now() - start);
    if (response.status !== 200) throw new BenchCheckError(`GET ${path} → ${response.status}: ${text.slice(0, 300)}`);
    results.push(check(JSON.parse(text), path));
  }
  return { ...summarize(samples), results };
}

/** Times `run` sequentially (no HTTP): for the baseline queries. */
export async function measureCalls<T>(
  items: T[],
  run: (item: T) => Promise<void> | void,
  options: SequentialOptions,
): Promise<Latency> {
  for (let i = 0; i < options.warmup; i++) await run(items[i % items.length] as T);
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < options.requests; i++) {
    if (i >= options.minRequests && performance.now() - started > options.maxSeconds * 1000) break;
    const start = performance.now();
    await run(items[i % items.length] as T);
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}

// --- throughput ----------------------------------------------------------------------------

export interface Throughput {
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill();
});

/** Runs one autocannon load in a child process (load.ts). */
function runLoad(request: LoadRequest): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./load.ts', import.meta.url)), [], { stdio: 'inherit' });
    running.add(child);
    let settled = false;
    const settle = (error: Error | null, result?: AutocannonResult) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(result as AutocannonResult);
    };
    child.on('message', (message: { result?: AutocannonResult; error?: string }) => {
      if (message.result) settle(null, message.result);
      else settle(new BenchCheckError(`load generator failed: ${message.error}`));
    });
    child.once('error', (error) => settle(error));
    child.once('exit', (code, signal) => {
      running.delete(child);
      settle(new BenchCheckError(`load generator exited (${code ?? signal}) without a result`));
    });
    child.send(request);
  });
}

/**
 * `connections` keep-alive connections for `seconds`, taking `paths` in turn. The load
 * comes from another process, so it shares neither the event loop nor the RSS of the server
 * under test. Any error, timeout or non-2xx response fails the run.
 */
export async function measureThroughput(
  baseUrl: string,
  paths: string[],
  connections: number,
  seconds: number,
  { headers, expectStatus }: { headers?: LoadRequest['headers']; expectStatus?: number } = {},
): Promise<Throughput> {
  if (paths.length === 0) throw new BenchCheckError('no request paths for the load test');
  const result = await runLoad({ url: baseUrl, connections, duration: seconds, paths, headers });
  // autocannon counts anything outside 2xx as non2xx, a 304 included: checked by status here.
  const unexpected = Object.entries(result.statusCodeStats ?? {})
    .filter(([status]) => status !== String(expectStatus))
    .reduce((sum, [, stat]) => sum + stat.count, 0);
  const non2xx = expectStatus ? unexpected : result.non2xx;
  const failed = result.errors + result.timeouts + non2xx;
  if (failed > 0 || result.requests.total === 0) {
    throw new BenchCheckError(
      `load test against ${paths[0]} …: ${result.requests.total} requests, ${non2xx} unexpected statuses, ` +
        `${result.errors} errors, ${result.timeouts} timeouts; status codes ${JSON.stringify(result.statusCodeStats ?? {})}`,
    );
  }
  return {
    connections,
    seconds,
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}
