/** The run for one dialect: steps 2–5, their rows, the report. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appVersion } from '../shared/app-version.ts';
import type { Cleanup } from '../shared/cleanup.ts';
import type { DialectName } from '../shared/options.ts';
import type { Datasets } from './datasets.ts';
import type { Options } from './options.ts';
import type { PostgresServer } from './postgres.ts';
import type { ReportRow } from './report.ts';
import { reportRows } from './rows.ts';
import {
  measureResync,
  measureRounds,
  measureUnchangedSync,
  measureWriteFloor,
  type StepContext,
  targetFactory,
} from './steps.ts';
import { reportDialect } from './summary.ts';
import { loadAverage } from './totals.ts';

/** What every dialect's run shares. */
export interface Shared {
  options: Options;
  data: Datasets;
  postgres: PostgresServer;
  baselineRssBytes: number;
  cleanup: Cleanup;
}

export async function benchDialect(dialect: DialectName, shared: Shared): Promise<ReportRow[]> {
  const { options, data, postgres, baselineRssBytes, cleanup } = shared;
  const log = (line: string) => console.log(`[${dialect}] ${line}`);
  const loadAtStart = loadAverage();
  const cpus = os.availableParallelism();
  const version = appVersion();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `mediacanon-bench-import-${dialect}-`));
  cleanup.add(`remove ${tmp}`, () => fs.rmSync(tmp, { recursive: true, force: true }));
  const serverCpu = dialect === 'pg' ? await postgres.cpuSampler() : null;
  const context: StepContext = {
    dialect,
    data,
    cleanup,
    log,
    createTarget: targetFactory(dialect, tmp, postgres),
    serverCpu,
    // Day 0's import keeps its files here; day 1's compares with them (a delta import).
    baselineDir: path.join(tmp, 'baseline'),
  };
  const serverVersion = dialect === 'pg' ? await postgres.version() : null;
  if (serverVersion) log(`PostgreSQL ${serverVersion}`);

  const { median, rounds } = await measureRounds(context, options.rounds);
  const { floor, full } = median;
  const writeFloor = await measureWriteFloor(context, full.target);
  const resync = await measureResync(context, full.target, full.counts);
  const unchanged = await measureUnchangedSync(context, full.target, tmp);
  const steps = { floor, full, writeFloor, resync, unchanged };
  const rows = reportRows(dialect, steps, options.scale);

  const machine = { cpus, loadAtStart, loadAtEnd: loadAverage() };
  const run = { dialect, options, data, serverVersion, version, baselineRssBytes, machine, steps, rows };
  reportDialect({ ...run, rounds, medianRound: median.round });
  return rows;
}
