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
  EPISODE_LINES,
  type EpisodeRow,
  episodesFormat,
  type FormatCounts,
  IMDB_FILES,
  type ImdbFile,
  type KeyOrder,
  preferredOrder,
  type RatingRow,
  ratingsFormat,
} from './imdb-files.ts';
import { loadImdbDelta, type ScopeTable } from './load-delta.ts';
import type { MergeTally } from './merge-tally.ts';
import type { DialectImportResult, FileStats, ImportProgress } from './stats.ts';
import { BAD_LINES_KEPT, type LineSelection, readTsv } from './tsv.ts';

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
   * Stages title.episode and title.basics' episode lines (their names) elsewhere, on
   * another core, while the rest of title.basics and title.ratings are staged here; the
   * merge may start before it is done. Without it the three files load one after the
   * other. See stage-aside.sqlite.ts.
   */
  stageAside?(options: AsideOptions): Promise<AsideLoad>;
}

export interface AsideOptions {
  dir: string;
  /** Aborted when the run fails here first: the aside load stops. */
  signal: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Both files are read whole and their rows staged; what is prepared from them may not be yet. */
  onRead?: () => void;
  log?: (message: string) => void;
}

export interface AsideLoad {
  episodes: LoadedFile;
  /** title.basics' episode lines. */
  episodeNames: LoadedFile;
  /** Duplicate rows the aside staging dropped (see Staging.finish). */
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

/** What loading leaves the merge, which may start while the staging thread still works. */
export interface StagedFiles {
  /** Every file's rows and counts, once all of them are staged. */
  files: Promise<Record<ImdbFile, LoadedFile>>;
  /**
   * Settles once every file is read whole (a bad one rejects it) and its rows staged,
   * perhaps before `files`: what the staging thread prepares from them may still be under way.
   */
  read: Promise<unknown>;
  /** Stops staging still under way (the merge failed first), and resolves once it has stopped. */
  stop(): Promise<void>;
}

const PROGRESS_INTERVAL_MS = 500;

/**
 * Reads all three files, which fails the run on a bad file before anything is merged;
 * with a staging thread, title.episode may still be loading when it returns (`files`).
 */
export async function loadImdbFiles(options: LoadOptions): Promise<StagedFiles> {
  const { staging } = options;
  if (staging.stageAside) return loadWithAside(options, staging.stageAside);
  const basics = await loadImdbFile('basics', basicsFormat(), staging.loadBasics, options);
  const episodes = await loadImdbFile('episodes', episodesFormat(), staging.loadEpisodes, options);
  const ratings = await loadImdbFile('ratings', ratingsFormat(), staging.loadRatings, options);
  const loaded = { basics, episodes, ratings };
  const dropped = await staging.finish(sortedFiles(loaded));
  const files = Promise.resolve(withDuplicates(loaded, dropped));
  return { files, read: files, stop: async () => {} };
}

/**
 * This thread stages title.basics' other lines and title.ratings, all the merge needs up
 * to the episodes, while the staging thread stages title.episode and the episode names.
 */
async function loadWithAside(
  { dir, staging, onProgress, log }: LoadOptions,
  stageAside: NonNullable<Staging['stageAside']>,
): Promise<StagedFiles> {
  const together = onProgress && (await loadingTogether(dir, onProgress));
  // Once the merge has started, its progress is the one to show.
  let loadingHere = true;
  const controller = new AbortController();
  let onRead = () => {};
  const readAside = new Promise<void>((resolve) => {
    onRead = resolve;
  });
  const aside = stageAside({
    dir,
    signal: controller.signal,
    onRead,
    log,
    onProgress: together && ((progress) => loadingHere && together(progress)),
  });
  aside.catch(() => {}); // awaited by the merge, or by stop()
  const stop = async () => {
    controller.abort();
    await aside.catch(() => {});
  };
  try {
    const here = { dir, onProgress: together, log };
    const select = { ...EPISODE_LINES, take: 'others' } as const;
    const basics = await loadImdbFile('basics', basicsFormat(), staging.loadBasics, { ...here, select });
    const ratings = await loadImdbFile('ratings', ratingsFormat(), staging.loadRatings, here);
    // title.episode is staged elsewhere: none of its rows are here.
    const dropped = await staging.finish({
      basics: basics.counts.sorted,
      episodes: true,
      ratings: ratings.counts.sorted,
    });
    loadingHere = false;
    const files = aside.then((load) => {
      const loaded = { basics: joinBasics(basics, load.episodeNames), episodes: load.episodes, ratings };
      const both = (file: ImdbFile) => dropped[file] + load.dropped[file];
      return withDuplicates(loaded, { basics: both('basics'), episodes: both('episodes'), ratings: both('ratings') });
    });
    // The merge awaits it only when it reaches the episodes: a failure of the staging
    // thread before then must not count as an unhandled rejection meanwhile.
    files.catch(() => {});
    const read = Promise.race([readAside, files]);
    read.catch(() => {});
    return { files, read, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function sortedFiles(loaded: Record<ImdbFile, LoadedFile>): Record<ImdbFile, boolean> {
  return {
    basics: loaded.basics.counts.sorted,
    episodes: loaded.episodes.counts.sorted,
    ratings: loaded.ratings.counts.sorted,
  };
}

/** Counts the duplicates staging dropped (Staging.finish) as such, not as staged rows. */
function withDuplicates(
  loaded: Record<ImdbFile, LoadedFile>,
  dropped: Record<ImdbFile, number>,
): Record<ImdbFile, LoadedFile> {
  for (const file of Object.keys(loaded) as ImdbFile[]) {
    loaded[file].counts.duplicates += dropped[file];
    loaded[file].stats.staged -= dropped[file];
  }
  return loaded;
}

/**
 * title.basics as one file again, from the two readers that shared its lines: this
 * thread's (every line counted, all but the episodes staged) and the episode lines'.
 */
function joinBasics(others: LoadedFile, episodeLines: LoadedFile): LoadedFile {
  const [a, b] = [others.stats, episodeLines.stats];
  const [x, y] = [others.counts, episodeLines.counts];
  const inOrder = { number: x.inOrder.number && y.inOrder.number, text: x.inOrder.text && y.inOrder.text };
  return {
    stats: {
      ...a,
      staged: a.staged + b.staged,
      badRows: a.badRows + b.badRows,
      badLines: [...a.badLines, ...b.badLines].sort((m, n) => m - n).slice(0, BAD_LINES_KEPT),
      ms: Math.max(a.ms, b.ms),
    },
    counts: {
      ignoredType: x.ignoredType + y.ignoredType,
      duplicates: x.duplicates + y.duplicates,
      nullSeasonOrEpisode: x.nullSeasonOrEpisode + y.nullSeasonOrEpisode,
      unknownParent: x.unknownParent + y.unknownParent,
      // Each reader checked the order of its own lines: an order both kept is the hint the
      // next delta import starts from (snapshot-diff.ts checks the order again). Not their
      // preferred orders: lines of one length only are in both, and prefer 'number'.
      sorted: x.sorted && y.sorted,
      keyOrder: preferredOrder(inOrder),
      inOrder,
    },
  };
}

/**
 * Streams one of the dataset's files into `sink`, with progress, and reports what it read:
 * all its lines, or those `select` takes.
 */
export function loadImdbFile<Row>(
  file: ImdbFile,
  format: CountedFormat<Row>,
  sink: (batches: AsyncIterable<Row[]>, order: FormatCounts) => Promise<void>,
  { dir, onProgress, log, select }: Omit<LoadOptions, 'staging'> & { select?: LineSelection },
): Promise<LoadedFile> {
  return loadFile({
    file: path.join(dir, IMDB_FILES[file]),
    format,
    sink: (batches) => sink(batches, format.counts),
    select,
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
): Promise<StagedFiles & { changedLines?: Record<ImdbFile, number>; keyOrders?: Record<ImdbFile, KeyOrder> }> {
  if (!plan.delta) return loadImdbFiles(options);
  const { files, changedLines, keyOrders } = await loadImdbDelta({ ...options, baselineDir: plan.delta.baselineDir });
  return { files: Promise.resolve(files), read: Promise.resolve(), stop: async () => {}, changedLines, keyOrders };
}

/**
 * One dialect's run: the files staged as the plan says, then the merge, each timed (the
 * load until the merge can start). The merge is handed `files`, which settles once every
 * file is staged: it must await it before reading what title.episode stages, and before
 * its last commit; and `read` (StagedFiles), before any commit.
 */
export async function stageThenMerge(
  plan: BaselinePlan,
  options: LoadOptions,
  merge: (staged: Promise<unknown>, read: Promise<unknown>) => MergeTally | Promise<MergeTally>,
): Promise<DialectImportResult> {
  const loadStarted = performance.now();
  const { files: staged, read, stop, changedLines, keyOrders } = await stageFiles(plan, options);
  const loadMs = performance.now() - loadStarted;
  const mergeStarted = performance.now();
  const tally = await Promise.resolve()
    .then(() => merge(staged, read))
    .catch(async (error: unknown) => {
      await stop();
      throw error;
    });
  const files = await staged;
  return {
    files,
    merge: tally,
    loadMs,
    mergeMs: performance.now() - mergeStarted,
    changedLines,
    // The order each file's tconsts came in (null: in neither), for the next baseline.
    keyOrders: keyOrders ?? {
      basics: files.basics.counts.keyOrder,
      episodes: files.episodes.counts.keyOrder,
      ratings: files.ratings.counts.keyOrder,
    },
  };
}

/**
 * For a merge that may start before the staging thread is done: waits for `staged` the first
 * time it is called (before the first step reading title.episode's tables, and before the
 * commit), then runs `then` once; later calls return at once.
 */
export function onceStaged(
  staged: Promise<unknown>,
  log: ((message: string) => void) | undefined,
  then: () => unknown,
): () => Promise<void> {
  let done = false;
  return async () => {
    if (done) return;
    const waiting = performance.now();
    await staged;
    // Worth knowing when tuning: how long the merge stood still for the staging thread.
    const waited = performance.now() - waiting;
    if (waited >= 100) log?.(`merge: waited ${Math.round(waited)} ms for title.episode's staging`);
    done = true;
    await then();
  };
}

async function loadFile<Row>(options: {
  file: string;
  format: CountedFormat<Row>;
  sink: (batches: AsyncIterable<Row[]>) => Promise<void>;
  select?: LineSelection;
  onProgress?: (progress: ImportProgress) => void;
  log?: (message: string) => void;
}): Promise<LoadedFile> {
  const { file, format, sink, select, onProgress, log } = options;
  const started = performance.now();
  const bytesTotal = await stat(file).then(
    (s) => s.size,
    () => 0, // the reader reports a missing file with its own clear error
  );
  const { batches, report } = readTsv(file, format, { select });
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
  const lines = select ? ` (${select.take === 'others' ? 'all but ' : ''}${select.value} lines)` : '';
  log?.(`${name}${lines}: ${report.lines} lines, ${report.rows} staged, ${report.badRows} bad, ${ms} ms`);
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
