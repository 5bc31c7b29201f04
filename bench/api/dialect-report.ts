/** One dialect's results: the printed summary and the JSON file. */
import path from 'node:path';
import type { DialectName } from '../shared/options.ts';
import type { Speedups } from './baseline-phase.ts';
import type { Dataset } from './data.ts';
import { type ExplainedRequest, formatExplained } from './explain.ts';
import type { FillStep } from './fill.sqlite.ts';
import type { Options } from './options.ts';
import type { Queries } from './queries.ts';
import { formatTable, type ReportRow, TARGETS, writeJson } from './report.ts';

export interface DialectRun {
  dialect: DialectName;
  options: Options;
  data: Dataset;
  version: { commit: string; changed: string[] };
  fill: { ms: number; steps: FillStep[] };
  rows: ReportRow[];
  speedups: Speedups;
  rss: { peakBytes: number; servingPeakBytes: number };
  machine: { cpus: number; loadAtStart: number; loadAtEnd: number };
  queries: Queries;
  explained: ExplainedRequest[] | null;
}

const MB = 1024 * 1024;

function headerLines({ dialect, data, fill, version }: DialectRun): string[] {
  return [
    '',
    `== bench:api [${dialect}] ${data.titleCount.toLocaleString('en')} titles, ` +
      `${data.episodeCount.toLocaleString('en')} episodes; fill ${(fill.ms / 1000).toFixed(1)} s ` +
      `(${fill.steps.map((s) => `${s.step} ${(s.ms / 1000).toFixed(1)}`).join(', ')}) ==`,
    `app: commit ${version.commit}` +
      (version.changed.length > 0 ? ` + ${version.changed.length} changed files in the working tree` : ' (clean tree)'),
  ];
}

function footerLines({ dialect, data, speedups, rss, machine }: DialectRun): string[] {
  const { cpus, loadAtStart, loadAtEnd } = machine;
  return [
    ...(Object.keys(speedups).length === 0
      ? []
      : [
          `speedup vs the original Go server's SQL (baseline p50 / our p50): ` +
            Object.entries(speedups)
              .map(
                ([label, s]) =>
                  `${label} ${s.speedup.toFixed(1)}× (${s.baselineP50.toFixed(1)} → ${s.oursP50.toFixed(2)} ms)`,
              )
              .join('; '),
        ]),
    `peak RSS of the server process: ${(rss.peakBytes / MB).toFixed(0)} MB (maxRSS; ${(rss.servingPeakBytes / MB).toFixed(0)} MB ` +
      `sampled during the HTTP phases; includes tsx and the bench's own client; fill and load generator ` +
      `run in child processes${dialect === 'pg' ? ', PostgreSQL is a separate server' : ''})`,
    `machine: ${cpus} CPUs, load average (1 min) ${loadAtStart.toFixed(1)} before the bench started, ${loadAtEnd.toFixed(1)} at the end` +
      (loadAtStart > cpus / 2
        ? ' — WARNING: the machine was busy before the run started; other work skews these numbers'
        : ''),
    `targets (at 1M titles): search p50 ≤ ${TARGETS.search.p50} ms and p99 ≤ ${TARGETS.search.p99} ms; ` +
      `show detail p50 ≤ ${TARGETS.showDetail.p50} ms; discover p50 ≤ ${TARGETS.discover.p50} ms per sort and filter; ` +
      `middleware stack ≥ ${(1 - TARGETS.middlewareCost).toFixed(2)}× the req/s without it` +
      (data.titleCount < 1_000_000 ? ` — this run has only ${data.titleCount.toLocaleString('en')} titles` : ''),
  ];
}

function reportJson(run: DialectRun) {
  const { data, queries, machine } = run;
  return {
    dialect: run.dialect,
    startedAt: new Date().toISOString(),
    node: process.version,
    cpus: machine.cpus,
    loadAverage: { beforeRun: machine.loadAtStart, atEnd: machine.loadAtEnd },
    app: run.version,
    options: run.options,
    dataset: {
      seed: data.seed,
      titles: data.titleCount,
      movies: data.movieCount,
      shows: data.showCount,
      seasons: data.seasonCount,
      episodes: data.episodeCount,
      showsWith200Episodes: data.showsWith200Episodes.length,
    },
    fill: run.fill,
    rows: run.rows,
    speedups: run.speedups,
    rss: run.rss,
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
    explain: run.explained,
  };
}

/** Writes test-output/bench-api-<dialect>.json and prints the summary. */
export function reportDialect(run: DialectRun) {
  const out = [...headerLines(run), formatTable(run.rows), ...footerLines(run)];
  const file = writeJson(run.dialect, reportJson(run));
  out.push(`written to ${path.relative(process.cwd(), file)}`);
  if (run.explained) out.push('', `-- the app's SQL per request [${run.dialect}] --`, formatExplained(run.explained));
  console.log(out.join('\n'));
}
