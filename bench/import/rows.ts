/** The table rows of one dialect's run, each with its target. */
import type { DialectName } from '../shared/options.ts';
import { mb, type ReportRow, TARGETS } from './report.ts';
import type { FloorStep, FullImportStep, ResyncStep, UnchangedSyncStep, WriteFloorStep } from './steps.ts';
import { linesRead, seconds } from './totals.ts';

export interface MeasuredSteps {
  floor: FloorStep;
  full: FullImportStep;
  writeFloor: WriteFloorStep;
  resync: ResyncStep;
  unchanged: UnchangedSyncStep;
}

const rate = (lines: number, ms: number) => lines / seconds(ms);

/** The step's CPU: its process's and, on PostgreSQL, the server's. */
export const cpuSeconds = (run: { cpuMs: number; serverCpuMs: number | null }) =>
  seconds(run.cpuMs + (run.serverCpuMs ?? 0));

const countsRow = (step: string, checks: string[], detail: ReportRow['detail']): ReportRow => ({
  step: `${step}: counts = stats (${checks.length} checks)`,
  seconds: null,
  rowsPerSec: null,
  peakRssMb: null,
  ratio: null,
  target: 'all equal, none 0',
  meets: true,
  detail,
});

const peakRssRow = (step: string, maxRssBytes: number): ReportRow => ({
  step: `${step}: peak RSS`,
  seconds: null,
  rowsPerSec: null,
  peakRssMb: mb(maxRssBytes),
  ratio: null,
  target: `≤ ${TARGETS.peakRssMb} MB`,
  meets: mb(maxRssBytes) <= TARGETS.peakRssMb,
});

function floorRow(dialect: DialectName, floor: FloorStep): ReportRow {
  return {
    step:
      dialect === 'pg'
        ? 'raw floor: COPY into UNLOGGED tables, no indexes'
        : 'raw floor: bare tables, 1 transaction, 64-row INSERTs',
    seconds: seconds(floor.result.ms),
    cpuSeconds: cpuSeconds(floor),
    rowsPerSec: rate(floor.result.lines, floor.result.ms),
    peakRssMb: mb(floor.maxRssBytes),
    ratio: '1.00× floor',
    target: '—',
    meets: null,
    detail: { ...floor.result },
  };
}

function fullImportRows({ floor, full }: MeasuredSteps): ReportRow[] {
  const step = 'full import day 0';
  const fullMs = full.run.result.ms;
  const fullRatio = fullMs / floor.result.ms;
  return [
    {
      step: `${step}: time`,
      seconds: seconds(fullMs),
      cpuSeconds: cpuSeconds(full.run),
      rowsPerSec: rate(linesRead(full.stats), fullMs),
      peakRssMb: mb(full.run.maxRssBytes),
      ratio: `${fullRatio.toFixed(2)}× floor`,
      target: `≤ ${TARGETS.fullOverFloor.toFixed(1)}× floor`,
      meets: fullRatio <= TARGETS.fullOverFloor,
    },
    peakRssRow(step, full.run.maxRssBytes),
    countsRow(step, full.checks, { counts: full.counts, checks: full.checks }),
  ];
}

/** No target: how much of the full import's budget writing its result alone takes. */
function writeFloorRow(dialect: DialectName, { floor, writeFloor }: MeasuredSteps): ReportRow {
  const { ms, rowsMs, keysMs, keys, rows } = writeFloor.result;
  const written = Object.values(rows).reduce((a, b) => a + b, 0);
  return {
    step:
      dialect === 'pg'
        ? `write floor: the result's rows COPY'd, then its ${keys} indexes and keys`
        : `write floor: the result's rows inserted, then its ${keys} indexes`,
    seconds: seconds(ms),
    // Its process and the server also dumped the rows beforehand, untimed: no CPU figure.
    cpuSeconds: null,
    rowsPerSec: rate(written, ms),
    peakRssMb: null,
    ratio: `${(ms / floor.result.ms).toFixed(2)}× floor`,
    target: '—',
    meets: null,
    detail: { rowsMs, keysMs, keys, rows },
  };
}

function resyncRows({ full, resync }: MeasuredSteps): ReportRow[] {
  const step = 'next-day re-sync day 1';
  const resyncMs = resync.run.result.ms;
  const resyncRatio = resyncMs / full.run.result.ms;
  return [
    {
      step: `${step}: time`,
      seconds: seconds(resyncMs),
      cpuSeconds: cpuSeconds(resync.run),
      rowsPerSec: rate(linesRead(resync.stats), resyncMs),
      peakRssMb: mb(resync.run.maxRssBytes),
      ratio: `${resyncRatio.toFixed(2)}× full`,
      target: `≤ ${TARGETS.resyncOverFull.toFixed(1)}× full`,
      meets: resyncRatio <= TARGETS.resyncOverFull,
    },
    peakRssRow(step, resync.run.maxRssBytes),
    countsRow(step, resync.checks, { counts: resync.counts, checks: resync.checks }),
  ];
}

function unchangedRows({ full, unchanged }: MeasuredSteps, scale: number): ReportRow[] {
  const { firstSync, secondSync, reimportStats, reimportChanges } = unchanged;
  const skipSeconds = seconds(secondSync.ms);
  // Hashing dominates a skip, and its cost is proportional to the files' size.
  const skipAtFull = skipSeconds / scale;
  return [
    {
      step: 'unchanged files, 1st sync (no hash yet: re-import)',
      seconds: seconds(firstSync.ms),
      rowsPerSec: rate(linesRead(reimportStats), firstSync.ms),
      peakRssMb: null,
      ratio: `${(firstSync.ms / full.run.result.ms).toFixed(2)}× full`,
      target: '—',
      meets: null,
      detail: { changes: reimportChanges },
    },
    {
      step: 'unchanged files, 2nd sync: SHA-256 skip',
      seconds: skipSeconds,
      rowsPerSec: null,
      peakRssMb: mb(unchanged.run.maxRssBytes),
      ratio: scale === 1 ? null : `≈${skipAtFull.toFixed(2)} s at 1.0`,
      target: `≤ ${TARGETS.skipSeconds} s at 1.0`,
      meets: skipSeconds <= TARGETS.skipSeconds && skipAtFull <= TARGETS.skipSeconds,
      detail: { status: secondSync.status, stats: secondSync.stats, estimatedSecondsAtScale1: skipAtFull },
    },
  ];
}

export function reportRows(dialect: DialectName, steps: MeasuredSteps, scale: number): ReportRow[] {
  return [
    floorRow(dialect, steps.floor),
    ...fullImportRows(steps),
    writeFloorRow(dialect, steps),
    ...resyncRows(steps),
    ...unchangedRows(steps, scale),
  ];
}
