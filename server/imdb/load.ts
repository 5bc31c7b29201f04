/**
 * Loading: streams each IMDb file into the dialect's staging tables. Both dialects share
 * this order and bookkeeping; only how rows reach the database differs (Staging).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { BaselinePlan } from './baseline.ts';
import {
  type BasicsRow,
  basicsFormat,
  type CountedFormat,
  type EpisodeRow,
  episodesFormat,
  type FormatCounts,
  IMDB_FILES,
  type ImdbFile,
  type KeyOrder,
  type RatingRow,
  ratingsFormat,
} from './imdb-files.ts';
import { loadImdbDelta, type ScopeTable } from './load-delta.ts';
import type { MergeTally } from './merge-tally.ts';
import type { DialectImportResult, FileStats, ImportProgress } from './stats.ts';
import { readTsv } from './tsv.ts';

/**
 * How rows reach a dialect's staging tables. `order.sorted` says, as each batch arrives,
 * whether the file has been in tconst order up to and including that batch (so it holds
 * no duplicates yet).
 */
export interface Staging {
  loadBasics(batches: AsyncIterable<BasicsRow[]>, order: Pick<FormatCounts, 'sorted'>): Promise<void>;
  loadEpisodes(batches: AsyncIterable<EpisodeRow[]>, order: Pick<FormatCounts, 'sorted'>): Promise<void>;
  loadRatings(batches: AsyncIterable<RatingRow[]>, order: Pick<FormatCounts, 'sorted'>): Promise<void>;
  /** A delta import's scope: the tconsts whose live rows the merge compares again (load-delta.ts). */
  loadScope(table: ScopeTable, imdbIds: string[]): Promise<void>;
  /**
   * Leaves the staged tables unique by tconst and returns how many duplicate rows that
   * dropped per file. `sorted` says which files came in tconst order, so hold none.
   */
  finish(sorted: Record<ImdbFile, boolean>): Promise<Record<ImdbFile, number>>;
  /**
   * Stages title.episode and title.ratings elsewhere (another core) while title.basics is
   * staged here, and takes its episode names over too; without it the three load one
   * after the other. See stage-aside.sqlite.ts.
   */
  stageAside?(options: AsideOptions): Promise<AsideLoad>;
}

export type AsideFile = 'episodes' | 'ratings';

export interface AsideOptions {
  dir: string;
  /** Aborted when the run fails here first: the aside load stops. */
  signal: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  log?: (message: string) => void;
}

export interface AsideLoad {
  files: Record<AsideFile, LoadedFile>;
  /** Duplicate rows the aside staging dropped (see Staging.finish), title.basics' episode names included. */
  dropped: Record<ImdbFile, number>;
}

export interface LoadedFile {
  stats: FileStats;
  counts: FormatCounts;
}

export interface LoadOptions {
  dir: string;
  staging: Staging;
  onProgress?: (progress: ImportProgress) => void;
  log?: (message: string) => void;
}

const PROGRESS_INTERVAL_MS = 500;

/** Reads all three files before anything is merged: a bad file fails the run early. */
export async function loadImdbFiles({
  dir,
  staging,
  onProgress,
  log,
}: LoadOptions): Promise<Record<ImdbFile, LoadedFile>> {
  const options = { dir, onProgress, log };
  let loaded: Record<ImdbFile, LoadedFile>;
  let droppedAside: Record<ImdbFile, number> = { basics: 0, episodes: 0, ratings: 0 };
  if (staging.stageAside) {
    const together = { ...options, onProgress: onProgress && (await loadingTogether(dir, onProgress)) };
    const controller = new AbortController();
    const aside = staging.stageAside({ ...together, signal: controller.signal });
    aside.catch(() => {}); // awaited below, once title.basics is in
    const basics = await loadImdbFile('basics', basicsFormat(), staging.loadBasics, together).catch(
      async (error: unknown) => {
        controller.abort();
        await aside.catch(() => {});
        throw error;
      },
    );
    const { files, dropped } = await aside;
    loaded = { basics, ...files };
    droppedAside = dropped;
  } else {
    const basics = await loadImdbFile('basics', basicsFormat(), staging.loadBasics, options);
    const episodes = await loadImdbFile('episodes', episodesFormat(), staging.loadEpisodes, options);
    const ratings = await loadImdbFile('ratings', ratingsFormat(), staging.loadRatings, options);
    loaded = { basics, episodes, ratings };
  }
  const dropped = await staging.finish({
    basics: loaded.basics.counts.sorted,
    episodes: loaded.episodes.counts.sorted,
    ratings: loaded.ratings.counts.sorted,
  });
  for (const file of Object.keys(loaded) as ImdbFile[]) {
    const count = dropped[file] + droppedAside[file];
    loaded[file].counts.duplicates += count;
    loaded[file].stats.staged -= count;
  }
  return loaded;
}

/** Streams one of the dataset's files into `sink`, with progress, and reports what it read. */
export function loadImdbFile<Row>(
  file: ImdbFile,
  format: CountedFormat<Row>,
  sink: (batches: AsyncIterable<Row[]>, order: FormatCounts) => Promise<void>,
  { dir, onProgress, log }: Omit<LoadOptions, 'staging'>,
): Promise<LoadedFile> {
  return loadFile({
    file: path.join(dir, IMDB_FILES[file]),
    format,
    sink: (batches) => sink(batches, format.counts),
    onProgress,
    log,
  });
}

/**
 * Progress of the three files loading at once, reported as one load: their bytes added up
 * under one name, so a progress bar moves on instead of switching between files.
 */
async function loadingTogether(
  dir: string,
  onProgress: (progress: ImportProgress) => void,
): Promise<(progress: ImportProgress) => void> {
  const names: string[] = Object.values(IMDB_FILES);
  const sizes = await Promise.all(
    names.map((name) =>
      stat(path.join(dir, name)).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  const files = new Map(names.map((name, at) => [name, { lines: 0, bytesRead: 0, bytesTotal: sizes[at] ?? 0 }]));
  const file = names.join(' + ');
  return (progress) => {
    if (progress.phase !== 'load') return onProgress(progress);
    files.set(progress.file, progress);
    const sum = (key: 'lines' | 'bytesRead' | 'bytesTotal') => [...files.values()].reduce((n, f) => n + f[key], 0);
    onProgress({
      phase: 'load',
      file,
      lines: sum('lines'),
      bytesRead: sum('bytesRead'),
      bytesTotal: sum('bytesTotal'),
    });
  };
}

/** Stages the files: as a delta against the baseline when the plan has one, else whole. */
async function stageFiles(
  plan: BaselinePlan,
  options: LoadOptions,
): Promise<{
  files: Record<ImdbFile, LoadedFile>;
  changedLines?: Record<ImdbFile, number>;
  /** The order each file's tconsts came in (null: in neither), for the next baseline. */
  keyOrders: Record<ImdbFile, KeyOrder | null>;
}> {
  if (plan.delta) return loadImdbDelta({ ...options, baselineDir: plan.delta.baselineDir });
  const files = await loadImdbFiles(options);
  const keyOrders = {
    basics: files.basics.counts.keyOrder,
    episodes: files.episodes.counts.keyOrder,
    ratings: files.ratings.counts.keyOrder,
  };
  return { files, keyOrders };
}

/** One dialect's run: the files staged as the plan says, then the merge, each timed. */
export async function stageThenMerge(
  plan: BaselinePlan,
  options: LoadOptions,
  merge: () => MergeTally | Promise<MergeTally>,
): Promise<DialectImportResult> {
  const loadStarted = performance.now();
  const { files, changedLines, keyOrders } = await stageFiles(plan, options);
  const loadMs = performance.now() - loadStarted;
  const mergeStarted = performance.now();
  const tally = await merge();
  return { files, merge: tally, loadMs, mergeMs: performance.now() - mergeStarted, changedLines, keyOrders };
}

async function loadFile<Row>(options: {
  file: string;
  format: CountedFormat<Row>;
  sink: (batches: AsyncIterable<Row[]>) => Promise<void>;
  onProgress?: (progress: ImportProgress) => void;
  log?: (message: string) => void;
}): Promise<LoadedFile> {
  const { file, format, sink, onProgress, log } = options;
  const started = performance.now();
  const bytesTotal = await stat(file).then(
    (s) => s.size,
    () => 0, // the reader reports a missing file with its own clear error
  );
  const { batches, report } = readTsv(file, format);
  let reported = 0;
  const name = path.basename(file);
  async function* withProgress() {
    for await (const batch of batches) {
      if (onProgress && performance.now() - reported > PROGRESS_INTERVAL_MS) {
        reported = performance.now();
        onProgress({ phase: 'load', file: name, lines: report.lines, bytesRead: report.bytesRead, bytesTotal });
      }
      yield batch;
    }
  }
  await sink(withProgress());
  const ms = Math.round(performance.now() - started);
  onProgress?.({ phase: 'load', file: name, lines: report.lines, bytesRead: bytesTotal, bytesTotal });
  log?.(`${name}: ${report.lines} lines, ${report.rows} staged, ${report.badRows} bad, ${ms} ms`);
  return {
    stats: {
      file: name,
      lines: report.lines,
      staged: report.rows,
      badRows: report.badRows,
      badLines: report.badLines,
      ms,
    },
    counts: format.counts,
  };
}
