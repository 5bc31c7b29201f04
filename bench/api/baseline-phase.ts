/** The Go server's three statements per search, straight to the database, against our p50. */
import type { Cleanup } from '../shared/cleanup.ts';
import type { DialectName } from '../shared/options.ts';
import { type BaselineRunner, pgBaseline, sqliteBaseline } from './baseline.ts';
import { BenchCheckError, type Latency, measureCalls, type SequentialOptions } from './measure.ts';
import type { Options } from './options.ts';
import type { Queries } from './queries.ts';
import { plainRow, type ReportRow } from './report.ts';

export type Speedups = Record<string, { baselineP50: number; oursP50: number; speedup: number }>;

export async function measureBaseline(
  dialect: DialectName,
  databaseUrl: string,
  context: { queries: Queries; latencies: Record<string, Latency>; options: Options; cleanup: Cleanup },
  rows: ReportRow[],
  log: (line: string) => void,
): Promise<Speedups> {
  const { queries, latencies, options, cleanup } = context;
  const baseline: BaselineRunner =
    dialect === 'sqlite' ? await sqliteBaseline(databaseUrl.slice('sqlite:'.length)) : await pgBaseline(databaseUrl);
  cleanup.add('close the baseline connection', () => baseline.close());
  const baselineOptions: SequentialOptions = {
    requests: options.requests,
    warmup: 2,
    maxSeconds: options.baselineSeconds,
    minRequests: Math.min(10, options.requests),
  };
  const speedups: Speedups = {};
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
  return speedups;
}
