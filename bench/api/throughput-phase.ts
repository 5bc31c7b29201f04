/** Throughput under many connections: a mix of every kind of search, then show details. */
import { measureThroughput } from './measure.ts';
import type { Options } from './options.ts';
import type { Queries } from './queries.ts';
import { type ReportRow, throughputRow } from './report.ts';

/** The kinds of search interleaved, one of each in turn. */
function searchMix(queries: Queries) {
  const mix: string[] = [];
  const kinds = [queries.common, queries.rare, queries.prefix, queries.filtered].map((s) => s.paths);
  for (let i = 0; i < Math.max(...kinds.map((k) => k.length)); i++) {
    for (const k of kinds) if (i < k.length) mix.push(k[i] as string);
  }
  return mix;
}

export async function measureThroughputs(
  baseUrl: string,
  queries: Queries,
  showPaths: string[],
  options: Options,
  rows: ReportRow[],
  log: (line: string) => void,
) {
  const searchLoad = await measureThroughput(baseUrl, searchMix(queries), options.connections, options.duration);
  rows.push(throughputRow(`throughput: search mix (${options.connections} conns, ${options.duration} s)`, searchLoad));
  log(`throughput search: ${searchLoad.requestsPerSecond.toFixed(0)} req/s`);
  const showLoad = await measureThroughput(baseUrl, showPaths, options.connections, options.duration);
  rows.push(throughputRow(`throughput: show detail (${options.connections} conns, ${options.duration} s)`, showLoad));
  log(`throughput show detail: ${showLoad.requestsPerSecond.toFixed(0)} req/s`);
}
