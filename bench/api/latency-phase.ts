/** Sequential latency over HTTP: each kind of search, then show details. */
import { type Latency, measureSequential, type SequentialOptions } from './measure.ts';
import type { Queries } from './queries.ts';
import { type ReportRow, searchRow, showRow } from './report.ts';
import { checkSearch, checkShow, type SearchExpectation } from './response-checks.ts';

export const WARMUP = 20;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Measures every search set and the show details; adds their rows, returns latencies by label. */
export async function measureLatencies(
  baseUrl: string,
  queries: Queries,
  sequential: SequentialOptions,
  rows: ReportRow[],
  log: (line: string) => void,
) {
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
  latencies['show detail'] = await measureShowDetail(baseUrl, showPaths(queries), sequential, rows, log);
  return latencies;
}

export const showPaths = (queries: Queries) => queries.shows.map((id) => `/api/shows/${id}`);

async function measureShowDetail(
  baseUrl: string,
  paths: string[],
  sequential: SequentialOptions,
  rows: ReportRow[],
  log: (line: string) => void,
) {
  const show = await measureSequential(
    baseUrl,
    paths,
    (body, p) => checkShow(body, p, Number(p.slice('/api/shows/'.length)), 200),
    sequential,
  );
  rows.push(showRow(`show detail, 200 episodes (n=${show.n})`, show, { shows: paths.length }));
  log(`show detail: p50 ${show.p50.toFixed(2)} ms, p99 ${show.p99.toFixed(2)} ms (n=${show.n})`);
  return show;
}
