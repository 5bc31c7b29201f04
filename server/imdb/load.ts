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
  const load = <Row>(
    file: ImdbFile,
    format: CountedFormat<Row>,
    sink: (b: AsyncIterable<Row[]>, order: FormatCounts) => Promise<void>,
  ) =>
    loadFile({
      file: path.join(dir, IMDB_FILES[file]),
      format,
      sink: (batches) => sink(batches, format.counts),
      onProgress,
      log,
    });
  const basics = await load('basics', basicsFormat(), (b, order) => staging.loadBasics(b, order));
  const episodes = await load('episodes', episodesFormat(), (b, order) => staging.loadEpisodes(b, order));
  const ratings = await load('ratings', ratingsFormat(), (b, order) => staging.loadRatings(b, order));
  const loaded = { basics, episodes, ratings };
  const dropped = await staging.finish({
    basics: basics.counts.sorted,
    episodes: episodes.counts.sorted,
    ratings: ratings.counts.sorted,
  });
  for (const file of Object.keys(loaded) as ImdbFile[]) {
    loaded[file].counts.duplicates += dropped[file];
    loaded[file].stats.staged -= dropped[file];
  }
  return loaded;
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
