/**
 * Staging on two cores, for both dialects. Reading and parsing the files is the load's
 * bottleneck (at full scale the raw floor keeps Node busy 97% of its time, the database
 * far less), so a worker thread stages title.episode and title.basics' episode lines (the
 * episodes' names) through a connection of its own, while this thread stages title.basics'
 * other lines and title.ratings, all the merge needs until it places episodes. Each thread
 * reads title.basics for itself, deciding on a line's bytes whether it is theirs
 * (readTsv's `select`): gunzipping it twice buys this thread out of nine lines in ten, so
 * the merge starts while the worker is still writing, and awaits it before its first
 * episode step.
 *
 * The worker reads its two files side by side and stages each episode with its name
 * (name-window.ts): 9M rows fewer to write than with a table of names, and no lookup per
 * episode in the merge. Where the staged rows live is the dialect's: a scratch database
 * file on SQLite (stage-aside.sqlite.ts), unlogged tables in a schema of the import's own
 * on PostgreSQL (stage-aside.pg.ts).
 *
 * Only for files large enough to be worth a thread's start-up (tsx compiles the modules
 * again in the worker).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  type BasicsRow,
  basicsFormat,
  EPISODE_LINES,
  type EpisodeRow,
  episodesFormat,
  type FormatCounts,
  IMDB_FILES,
  type ImdbFile,
} from './imdb-files.ts';
import { type AsideLoad, type AsideOptions, type LoadedFile, loadImdbFile, type Staging } from './load.ts';
import { createNameWindow, type NameWindow } from './name-window.ts';
import type { ImportProgress } from './stats.ts';

/** Below this many gzipped bytes of title.episode and title.basics, staging stays on one thread. */
export const STAGE_ASIDE_FROM_BYTES = 4 * 1024 * 1024;

/** Whether the files in `dir` are large enough to stage on two threads. */
export async function worthStagingAside(dir: string, fromBytes = STAGE_ASIDE_FROM_BYTES): Promise<boolean> {
  const sizes = await Promise.all(
    [IMDB_FILES.episodes, IMDB_FILES.basics].map((name) =>
      stat(path.join(dir, name)).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0) >= fromBytes;
}

/** Where a dialect's worker stages: what stage-aside.worker.mjs hands its runStageAside. */
export type AsideTarget = { dialect: 'sqlite'; scratchFile: string } | { dialect: 'pg'; url: string; schema: string };

export type AsideWorkerData = AsideTarget & { dir: string };

/** What the worker tells this thread. */
export type AsideMessage =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'log'; message: string }
  | { type: 'read' }
  | { type: 'done'; load: AsideLoad }
  | { type: 'failed'; name: string; message: string; code?: string };

/** Staging.stageAside: runs the worker on `target`, whose tables exist already. */
export function stageAsideOn(target: AsideTarget): NonNullable<Staging['stageAside']> {
  return ({ dir, signal, onProgress, onRead, log }: AsideOptions): Promise<AsideLoad> =>
    new Promise((resolve, reject) => {
      const workerData: AsideWorkerData = { ...target, dir };
      const thread = new Worker(new URL('./stage-aside.worker.mjs', import.meta.url), { workerData });
      signal.addEventListener('abort', () => void thread.terminate(), { once: true });
      let outcome: { load: AsideLoad } | { error: Error } | null = null;
      thread.on('message', (message: AsideMessage) => {
        if (message.type === 'progress') onProgress?.(message.progress);
        else if (message.type === 'log') log?.(message.message);
        else if (message.type === 'read') onRead?.();
        else if (message.type === 'done') outcome = { load: message.load };
        // The error as the file reader threw it (ImdbFileError: which file, what is wrong).
        else outcome = { error: Object.assign(new Error(message.message), { name: message.name, code: message.code }) };
      });
      thread.on('error', (error) => {
        outcome ??= { error };
      });
      thread.on('exit', (code) => {
        if (outcome && 'load' in outcome) return resolve(outcome.load);
        reject(outcome?.error ?? new Error(`the staging thread stopped (exit code ${code}) before it was done`));
      });
    });
}

type Order = Pick<FormatCounts, 'sorted'>;

/** How the worker writes into its dialect's aside tables (imdb_episodes, imdb_episode_names). */
export interface AsideStaging {
  /**
   * Stages title.episode with each episode's name when `window` has it at hand, and every
   * name it passes over (or leaves) in imdb_episode_names.
   */
  loadNamedEpisodes(batches: AsyncIterable<EpisodeRow[]>, order: Order, window: NameWindow): Promise<void>;
  /** Forgets every episode name staged so far, to stage them again (title.basics was out of order). */
  unstageNames(): Promise<void>;
  /** Stages title.basics' episode lines as names, each tconst once (the first line wins). */
  loadNames(batches: AsyncIterable<BasicsRow[]>, order: Order): Promise<void>;
  /** As Staging.finish, for the two aside tables. */
  finish(sorted: Record<ImdbFile, boolean>): Promise<Record<ImdbFile, number>>;
}

/** The worker's connection to its aside tables. */
export interface AsideSession {
  staging: AsideStaging;
  close(): Promise<void>;
}

/** The worker's side: stages through the session `open` gives and tells this thread how it went. */
export async function runAside(
  dir: string,
  open: () => Promise<AsideSession>,
  post: (message: AsideMessage) => void,
): Promise<void> {
  try {
    const { staging, close } = await open();
    try {
      const log = (message: string) => post({ type: 'log', message });
      const onProgress = (progress: ImportProgress) => post({ type: 'progress', progress });
      const { episodes, episodeNames } = await stageNamedEpisodes(staging, { dir, onProgress, log });
      post({ type: 'read' });
      // Nothing of title.ratings is staged here.
      const dropped = await staging.finish({
        basics: episodeNames.counts.sorted,
        episodes: episodes.counts.sorted,
        ratings: true,
      });
      post({ type: 'done', load: { episodes, episodeNames, dropped } });
    } finally {
      await close();
    }
  } catch (error) {
    const { name, message, code } = error as Error & { code?: string };
    post({ type: 'failed', name, message, ...(typeof code === 'string' && { code }) });
  }
}

/**
 * Reads title.episode and title.basics' episode lines side by side. When title.basics
 * turns out to be out of order, its names are staged again the plain way, one table, so
 * that repeated tconsts are dropped and counted as in any other import.
 */
async function stageNamedEpisodes(
  staging: AsideStaging,
  { dir, onProgress, log }: Omit<AsideOptions, 'signal'>,
): Promise<{ episodes: LoadedFile; episodeNames: LoadedFile }> {
  // No progress for title.basics: the main thread's reading of it counts its bytes.
  const select = { ...EPISODE_LINES, take: 'matching' } as const;
  let windowReady: (window: NameWindow) => void = () => {};
  let paired: () => void = () => {};
  const window = new Promise<NameWindow>((resolve) => {
    windowReady = resolve;
  });
  // The names' reader hands its batches to the window and waits for the pairing to be done
  // with them, so that loadImdbFile reports on the file (lines, bad rows, order) as usual.
  const namesRead = loadImdbFile(
    'basics',
    basicsFormat(),
    async (batches, order) => {
      windowReady(createNameWindow(batches[Symbol.asyncIterator](), order));
      await new Promise<void>((resolve) => {
        paired = resolve;
      });
    },
    { dir, log, select },
  );
  const names = await Promise.race([window, namesRead.then(() => null)]);
  if (!names) throw new Error('title.basics was read before its names could be paired');
  let episodes: LoadedFile;
  try {
    episodes = await loadImdbFile(
      'episodes',
      episodesFormat(),
      (batches, order) => staging.loadNamedEpisodes(batches, order, names),
      { dir, onProgress, log },
    );
  } catch (error) {
    names.close();
    throw error;
  } finally {
    paired();
  }
  let episodeNames = await namesRead;
  if (!episodeNames.counts.sorted) {
    log?.('title.basics is out of tconst order: its episode names are staged again, on their own');
    await staging.unstageNames();
    episodeNames = await loadImdbFile('basics', basicsFormat(), staging.loadNames, { dir, log, select });
  }
  return { episodes, episodeNames };
}
