/** One dialect's results: the printed summary and the JSON file. */
import path from 'node:path';
import type { DialectName } from '../shared/options.ts';
import type { Datasets } from './datasets.ts';
import type { Options } from './options.ts';
import { formatStages, formatTable, mb, type ReportRow, TARGETS, writeJson } from './report.ts';
import { cpuSeconds, type MeasuredSteps } from './rows.ts';
import type { Round } from './steps.ts';
import { linesRead, seconds } from './totals.ts';

export interface DialectRun {
  dialect: DialectName;
  options: Options;
  data: Datasets;
  serverVersion: string | null;
  version: { commit: string; changed: string[] };
  baselineRssBytes: number;
  machine: { cpus: number; loadAtStart: number[]; loadAtEnd: number[] };
  steps: MeasuredSteps;
  rows: ReportRow[];
  /** Every round of floor and full import (--rounds); the table shows medianRound's. */
  rounds: Round[];
  medianRound: number;
}

function headerLines({ dialect, serverVersion, options, data, version, steps }: DialectRun): string[] {
  const fullStats = steps.full.stats;
  const basics = fullStats.files.basics.lines;
  const totalBytes = Object.values(data.bytes.day0).reduce((a, b) => a + b, 0);
  return [
    '',
    `== bench:import [${dialect}${serverVersion ? ` ${serverVersion}` : ''}] scale ${options.scale}: ` +
      `day 0 ${linesRead(fullStats).toLocaleString('en')} lines (${basics.toLocaleString('en')} title.basics), ` +
      `${(totalBytes / 1024 / 1024).toFixed(0)} MB gzipped ==`,
    `app: commit ${version.commit}` +
      (version.changed.length > 0
        ? ` + ${version.changed.length} changed files in the working tree (${version.changed.join(', ')})`
        : ' (clean tree)'),
  ];
}

function serverCpuNote(dialect: DialectName, steps: MeasuredSteps): string {
  if (dialect !== 'pg') return '';
  return steps.full.run.serverCpuMs === null ? ' (the server’s could not be read)' : ' plus the PostgreSQL server’s';
}

function roundsLine({ rounds, medianRound }: DialectRun): string[] {
  if (rounds.length < 2) return [];
  const each = rounds.map(
    (r) =>
      `${r.round}: ${seconds(r.floor.result.ms).toFixed(1)} s → ${seconds(r.full.run.result.ms).toFixed(1)} s = ` +
      `${r.ratio.toFixed(2)}×`,
  );
  return [`rounds (floor → full import): ${each.join('; ')}; the table shows round ${medianRound}, the median ratio`];
}

function writeFloorLine({ steps }: DialectRun): string {
  const floorMs = steps.floor.result.ms;
  const { ms, rowsMs, keysMs, keys } = steps.writeFloor.result;
  const left = TARGETS.fullOverFloor * floorMs - ms;
  return (
    `write floor: writing the day-0 result alone (no file read, nothing compared) took ${seconds(ms).toFixed(1)} s ` +
    `= ${(ms / floorMs).toFixed(2)}× the floor (rows ${seconds(rowsMs).toFixed(1)} s, ${keys} indexes and keys ` +
    `${seconds(keysMs).toFixed(1)} s); within ${TARGETS.fullOverFloor.toFixed(1)}× the floor, a full import has ` +
    `${seconds(left).toFixed(1)} s left to read the files (the floor: ${seconds(floorMs).toFixed(1)} s) and do the rest`
  );
}

function footerLines(run: DialectRun): string[] {
  const { dialect, options, baselineRssBytes, machine, steps } = run;
  const { cpus, loadAtStart, loadAtEnd } = machine;
  const { reimportChanges } = steps.unchanged;
  const atScale1 = (ms: number) => (seconds(ms) / options.scale / 60).toFixed(1);
  const cpu = {
    floor: cpuSeconds(steps.floor),
    full: cpuSeconds(steps.full.run),
    resync: cpuSeconds(steps.resync.run),
  };
  return [
    'wall s: the step inside its process (start-up excluded); rows/s: data lines of the three files per second; ' +
      'peak RSS: maxRSS of the step’s own process' +
      (dialect === 'pg' ? ' (the PostgreSQL server’s memory is not included)' : ''),
    `a child process that only loads the modules peaks at ${mb(baselineRssBytes).toFixed(0)} MB (tsx, drizzle, pg, better-sqlite3); ` +
      `the import's own share is the rest`,
    `cpu s: CPU time of the step’s process${serverCpuNote(dialect, steps)}; ` +
      `by CPU, full import ${(cpu.full / cpu.floor).toFixed(2)}× floor, re-sync ${(cpu.resync / cpu.full).toFixed(2)}× full ` +
      '(steadier than wall time when others load the machine, but blind to waiting on the disk)',
    `identical re-import (1st sync of unchanged files) changed ${reimportChanges} rows` +
      (reimportChanges > 0 ? ' — WARNING: an import of the same files should change nothing' : ' (as it should)'),
    `at scale 1.0 (linear estimate): floor ≈ ${atScale1(steps.floor.result.ms)} min, ` +
      `full import ≈ ${atScale1(steps.full.run.result.ms)} min, ` +
      `re-sync ≈ ${atScale1(steps.resync.run.result.ms)} min; ` +
      `the targets are the spec's for 1.0, so at a smaller scale peak RSS in particular proves little`,
    writeFloorLine(run),
    ...roundsLine(run),
    `machine: ${cpus} CPUs, load average ${loadAtStart.join(' / ')} (1/5/15 min) at the start, ${loadAtEnd.join(' / ')} at the end` +
      ((loadAtStart[0] ?? 0) > cpus / 2 ? ' — WARNING: the machine was busy; other work skews these numbers' : ''),
    '',
    `-- full import, day 0 [${dialect}] --`,
    formatStages(steps.full.stats),
    '',
    `-- next-day re-sync, day 1 [${dialect}] --`,
    formatStages(steps.resync.stats),
  ];
}

function reportJson(run: DialectRun) {
  const { options, data, machine } = run;
  const { floor, full, resync, unchanged } = run.steps;
  return {
    dialect: run.dialect,
    startedAt: new Date().toISOString(),
    node: process.version,
    cpus: machine.cpus,
    loadAverage: { atStart: machine.loadAtStart, atEnd: machine.loadAtEnd },
    app: run.version,
    options,
    postgres: run.serverVersion,
    dataset: {
      scale: options.scale,
      seed: options.seed,
      generatedMs: data.generatedMs,
      reused: data.generatedMs === null,
      bytes: data.bytes,
    },
    targets: TARGETS,
    rows: run.rows,
    rounds: run.rounds.map((r) => ({
      round: r.round,
      floorMs: r.floor.result.ms,
      fullMs: r.full.run.result.ms,
      ratio: r.ratio,
    })),
    medianRound: run.medianRound,
    baselineChildRssBytes: run.baselineRssBytes,
    floor: {
      ...floor.result,
      maxRssBytes: floor.maxRssBytes,
      processMs: floor.processMs,
      cpuMs: floor.cpuMs,
      serverCpuMs: floor.serverCpuMs,
    },
    writeFloor: { ...run.steps.writeFloor.result, maxRssBytes: run.steps.writeFloor.maxRssBytes },
    fullImport: {
      ms: full.run.result.ms,
      maxRssBytes: full.run.maxRssBytes,
      processMs: full.run.processMs,
      cpuMs: full.run.cpuMs,
      serverCpuMs: full.run.serverCpuMs,
      stats: full.stats,
    },
    resync: {
      ms: resync.run.result.ms,
      maxRssBytes: resync.run.maxRssBytes,
      processMs: resync.run.processMs,
      cpuMs: resync.run.cpuMs,
      serverCpuMs: resync.run.serverCpuMs,
      stats: resync.stats,
    },
    unchanged: { runs: unchanged.run.result.runs, maxRssBytes: unchanged.run.maxRssBytes },
    counts: { afterFull: full.counts, afterResync: resync.counts },
  };
}

/** Writes test-output/bench-import-<dialect>.json and prints the summary. */
export function reportDialect(run: DialectRun) {
  const out = [...headerLines(run), formatTable(run.rows), ...footerLines(run)];
  const file = writeJson(run.dialect, reportJson(run));
  out.push('', `written to ${path.relative(process.cwd(), file)}`);
  console.log(out.join('\n'));
}
