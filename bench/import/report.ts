/** The per-dialect result: tables for stdout and the same data as JSON. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ImportStats, MERGE_STAGES } from '../../server/imdb/stats.ts';

/** The spec's targets (at scale 1.0, the size of the real export). */
export const TARGETS = {
  /** Full import wall time over the raw load floor's. */
  fullOverFloor: 2.0,
  /** Peak RSS of the import process, in MB. */
  peakRssMb: 512,
  /** Next-day re-sync wall time over the full import's. */
  resyncOverFull: 0.5,
  /** Wall time of a sync that finds the files unchanged, in seconds. */
  skipSeconds: 10,
} as const;

export interface ReportRow {
  step: string;
  seconds: number | null;
  /** CPU seconds of the step's process plus, on PostgreSQL, the server's (when readable). */
  cpuSeconds?: number | null;
  rowsPerSec: number | null;
  peakRssMb: number | null;
  /** e.g. "1.42× floor". */
  ratio: string | null;
  target: string;
  /** null when the row has no target. */
  meets: boolean | null;
  detail?: Record<string, unknown>;
}

const MB = 1024 * 1024;
export const mb = (bytes: number) => bytes / MB;

type Align = 'left' | 'right';

export function formatGrid(header: string[], rows: string[][], align: Align[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const pad = (v: string, i: number) =>
    align[i] === 'right' ? v.padStart(widths[i] as number) : v.padEnd(widths[i] as number);
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (align[i] === 'right' ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const num = (value: number | null, digits: number) => (value === null ? '—' : value.toFixed(digits));
const int = (value: number) => Math.round(value).toLocaleString('en');

export function formatTable(rows: ReportRow[]): string {
  return formatGrid(
    ['step', 'wall s', 'cpu s', 'rows/s', 'peak RSS MB', 'ratio', 'target', 'meets'],
    rows.map((r) => [
      r.step,
      num(r.seconds, r.seconds !== null && r.seconds < 10 ? 2 : 1),
      num(r.cpuSeconds ?? null, 1),
      r.rowsPerSec === null ? '—' : int(r.rowsPerSec),
      num(r.peakRssMb, 0),
      r.ratio ?? '—',
      r.target,
      r.meets === null ? '—' : r.meets ? 'yes' : 'NO',
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'left', 'left'],
  );
}

/** Where the importer spent its time: per file loaded, per stage merged, with what each did. */
export function formatStages(stats: ImportStats): string {
  const files = formatGrid(
    ['file', 'lines', 'staged', 'bad', 'ms'],
    Object.values(stats.files).map((f) => [f.file, int(f.lines), int(f.staged), int(f.badRows), int(f.ms)]),
    ['left', 'right', 'right', 'right', 'right'],
  );
  const stages = formatGrid(
    ['merge stage', 'inserted', 'updated', 'unchanged', 'removed', 'moved', 'skipped', 'ms'],
    MERGE_STAGES.map((stage) => {
      const s = stats.stages[stage];
      const skipped = Object.entries(s.skipped)
        .map(([reason, n]) => `${reason} ${int(n)}`)
        .join(', ');
      return [
        stage,
        int(s.inserted),
        int(s.updated),
        int(s.unchanged),
        int(s.removed),
        int(s.moved),
        skipped || '—',
        int(s.ms),
      ];
    }),
    ['left', 'right', 'right', 'right', 'right', 'right', 'left', 'right'],
  );
  const { load, merge, total } = stats.ms;
  const other = total - load - merge;
  return `${files}\n${stages}\nload ${int(load)} ms + merge ${int(merge)} ms + other ${int(other)} ms = ${int(total)} ms`;
}

export function writeJson(dialect: string, report: unknown): string {
  const dir = fileURLToPath(new URL('../../test-output', import.meta.url));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-import-${dialect}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
