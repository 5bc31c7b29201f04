/**
 * The day 0 and day 1 IMDb-format snapshots the bench imports, made by the shared generator
 * (../shared/tools/gen-imdb-dataset, python3) once per run in a temp dir, or once for all
 * runs under --keep-data DIR (a complete set there is reused; an interrupted one is not).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMDB_FILES, type ImdbFile } from '../../server/imdb/imdb-files.ts';
import { BenchCheckError } from '../shared/bench-check-error.ts';
import type { Cleanup } from '../shared/cleanup.ts';

const GENERATOR =
  process.env.BENCH_IMDB_GENERATOR ?? fileURLToPath(new URL('../../../shared/tools/gen-imdb-dataset', import.meta.url));

export interface Datasets {
  day0: string;
  day1: string;
  /** Wall time of the generation, or null when a kept set was reused. */
  generatedMs: number | null;
  /** Compressed sizes in bytes. */
  bytes: { day0: Record<ImdbFile, number>; day1: Record<ImdbFile, number> };
  kept: boolean;
}

interface Marker {
  scale: number;
  seed: number;
  generatedMs: number;
  createdAt: string;
}

export async function prepareDatasets(
  options: { scale: number; seed: number; keepData: string | null },
  cleanup: Cleanup,
  log: (line: string) => void,
): Promise<Datasets> {
  let base: string;
  if (options.keepData) {
    base = path.resolve(options.keepData);
    fs.mkdirSync(base, { recursive: true });
  } else {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'mediacanon-bench-import-data-'));
    cleanup.add(`remove ${base}`, () => fs.rmSync(base, { recursive: true, force: true }));
  }
  const dir = path.join(base, `imdb-scale${options.scale}-seed${options.seed}`);
  const markerFile = path.join(dir, 'complete.json');
  const day = (n: number, root = dir) => path.join(root, `day${n}`);
  let generatedMs: number | null = null;
  if (fs.existsSync(markerFile) && [0, 1].every((n) => hasFiles(day(n)))) {
    log(`data: reusing ${dir}`);
  } else {
    fs.rmSync(dir, { recursive: true, force: true });
    const partial = `${dir}.partial`;
    fs.rmSync(partial, { recursive: true, force: true });
    const forget = cleanup.add(`remove ${partial}`, () => fs.rmSync(partial, { recursive: true, force: true }));
    log(`data: generating day 0 and day 1 at scale ${options.scale} (seed ${options.seed}) into ${dir}`);
    const started = performance.now();
    // Both snapshots at once: the generator is one Python process plus gzip each.
    await Promise.all([0, 1].map((n) => generate(day(n, partial), n, options, cleanup)));
    generatedMs = performance.now() - started;
    fs.renameSync(partial, dir);
    await forget();
    const marker: Marker = {
      scale: options.scale,
      seed: options.seed,
      generatedMs,
      createdAt: new Date().toISOString(),
    };
    fs.writeFileSync(markerFile, `${JSON.stringify(marker, null, 2)}\n`);
    log(`data: generated in ${(generatedMs / 1000).toFixed(1)} s`);
  }
  return {
    day0: day(0),
    day1: day(1),
    generatedMs,
    bytes: { day0: sizes(day(0)), day1: sizes(day(1)) },
    kept: options.keepData !== null,
  };
}

function hasFiles(dir: string): boolean {
  return Object.values(IMDB_FILES).every((name) => fs.existsSync(path.join(dir, name)));
}

function sizes(dir: string): Record<ImdbFile, number> {
  const entries = Object.entries(IMDB_FILES).map(([file, name]) => [file, fs.statSync(path.join(dir, name)).size]);
  return Object.fromEntries(entries) as Record<ImdbFile, number>;
}

async function generate(out: string, day: number, options: { scale: number; seed: number }, cleanup: Cleanup) {
  const args = [GENERATOR, '--out', out, '--scale', String(options.scale), '--day', String(day)];
  const child = spawn('python3', [...args, '--seed', String(options.seed)], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const forget = cleanup.add(`stop the day ${day} generator`, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const code = await new Promise<number | string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? signal ?? 'unknown'));
  });
  await forget();
  if (code !== 0) throw new BenchCheckError(`gen-imdb-dataset (day ${day}) failed: ${code} (${GENERATOR})`);
}
