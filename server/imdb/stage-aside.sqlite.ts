/**
 * Staging on two cores (SQLite): better-sqlite3 is synchronous, so reading, parsing and
 * writing one file take turns on one thread. While this thread stages title.basics, a
 * worker thread stages title.episode and title.ratings into a scratch database file
 * through a connection of its own, and writes the episode names title.basics hands over
 * (three rows in four of that file: a batch at a time, a few batches ahead at most). The
 * merge then attaches that file, where the unqualified staging names find its tables (the
 * TEMP database holds no tables of those names). At full scale the load took 28 s one
 * file after the other, 21 s with the two files aside, 19 s with the names too.
 *
 * Only for files large enough to be worth a thread's start-up (tsx compiles the modules
 * again in the worker). The scratch file lives in the OS's temp directory and is removed
 * when the run ends, whether it succeeded or not (a killed run leaves it to the OS).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { episodesFormat, IMDB_FILES, ratingsFormat } from './imdb-files.ts';
import { type AsideLoad, type AsideOptions, loadImdbFile } from './load.ts';
import { ASIDE_TABLES, createSqliteStaging, createStagingTables, type EpisodeNameSink } from './staging.sqlite.ts';
import type { ImportProgress } from './stats.ts';

/** Below this many gzipped bytes of title.episode and title.ratings, staging stays on one thread. */
export const STAGE_ASIDE_FROM_BYTES = 4 * 1024 * 1024;

export interface ScratchFile {
  file: string;
  /** Removes the file (and its directory). */
  remove(): Promise<void>;
}

/** A scratch database file for the aside staging, when the files are large enough to use one. */
export async function scratchFileFor(dir: string, fromBytes = STAGE_ASIDE_FROM_BYTES): Promise<ScratchFile | null> {
  const sizes = await Promise.all(
    [IMDB_FILES.episodes, IMDB_FILES.ratings].map((name) =>
      stat(path.join(dir, name)).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  if (sizes.reduce((a, b) => a + b, 0) < fromBytes) return null;
  const scratchDir = await mkdtemp(path.join(tmpdir(), 'mediacanon-staging-'));
  return {
    file: path.join(scratchDir, 'staging.db'),
    remove: () => rm(scratchDir, { recursive: true, force: true }),
  };
}

interface WorkerData {
  scratchFile: string;
  dir: string;
}

type WorkerMessage =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'log'; message: string }
  | { type: 'names-written' }
  | { type: 'done'; load: AsideLoad }
  | { type: 'failed'; name: string; message: string; code?: string };

/** What the staging thread hears from this one: title.basics' episode names, then their end. */
type NamesMessage = { type: 'names'; values: unknown[]; sorted: boolean } | { type: 'names-end' };

/** Batches of names handed over and not yet written: enough to keep the other thread busy, few enough to bound memory. */
const NAMES_IN_FLIGHT = 4;

export interface StageAside {
  /** Staging.stageAside for a connection that will attach the scratch file before the merge. */
  stageAside(options: AsideOptions): Promise<AsideLoad>;
  /** Where this thread's title.basics hands its episode names over (once stageAside started). */
  episodeNames: EpisodeNameSink;
}

/** The staging thread, writing into `scratchFile`; it starts when stageAside is called. */
export function createStageAside(scratchFile: string): StageAside {
  let worker: Worker | null = null;
  let inFlight = 0;
  let waiting: { resolve(): void; reject(error: Error): void } | null = null;
  let stopped: Error | null = null;

  const stageAside = ({ dir, signal, onProgress, log }: AsideOptions): Promise<AsideLoad> =>
    new Promise((resolve, reject) => {
      const workerData: WorkerData = { scratchFile, dir };
      const thread = new Worker(new URL('./stage-aside.worker.mjs', import.meta.url), { workerData });
      worker = thread;
      signal.addEventListener('abort', () => void thread.terminate(), { once: true });
      let outcome: { load: AsideLoad } | { error: Error } | null = null;
      thread.on('message', (message: WorkerMessage) => {
        if (message.type === 'progress') onProgress?.(message.progress);
        else if (message.type === 'log') log?.(message.message);
        else if (message.type === 'names-written') {
          inFlight -= 1;
          waiting?.resolve();
          waiting = null;
        } else if (message.type === 'done') outcome = { load: message.load };
        // The error as the file reader threw it (ImdbFileError: which file, what is wrong).
        else outcome = { error: Object.assign(new Error(message.message), { name: message.name, code: message.code }) };
      });
      thread.on('error', (error) => {
        outcome ??= { error };
      });
      thread.on('exit', (code) => {
        if (outcome && 'load' in outcome) return resolve(outcome.load);
        const error = outcome?.error ?? new Error(`the staging thread stopped (exit code ${code}) before it was done`);
        // title.basics may be waiting to hand names over: it fails with the thread's reason.
        stopped = error;
        waiting?.reject(error);
        waiting = null;
        reject(error);
      });
    });

  const post = (message: NamesMessage) => {
    if (stopped) throw stopped;
    if (!worker) throw new Error('the staging thread was not started');
    worker.postMessage(message);
  };
  const episodeNames: EpisodeNameSink = {
    async write(values, sorted) {
      post({ type: 'names', values, sorted });
      inFlight += 1;
      if (inFlight < NAMES_IN_FLIGHT) return;
      await new Promise<void>((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    end: () => post({ type: 'names-end' }),
  };
  return { stageAside, episodeNames };
}

/**
 * The worker's side: stages title.episode and title.ratings into the scratch file, and the
 * episode names the main thread hands over as they come, then says how it went.
 */
export async function runStageAside(
  { scratchFile, dir }: WorkerData,
  post: (message: WorkerMessage) => void,
  listen: (onMessage: (message: NamesMessage) => void) => () => void,
): Promise<void> {
  let stopListening = () => {};
  try {
    const connection = new BetterSqlite3(scratchFile);
    try {
      // A scratch file: nothing to recover if the run dies, so no journal and no syncs.
      connection.pragma('journal_mode = OFF');
      connection.pragma('synchronous = OFF');
      createStagingTables(connection, { schema: 'main', only: ASIDE_TABLES });
      const staging = createSqliteStaging(connection);
      let basicsSorted = true;
      // Names are written between the files' batches, as each handover arrives.
      const namesEnded = new Promise<void>((resolve) => {
        stopListening = listen((message) => {
          if (message.type === 'names-end') return resolve();
          basicsSorted &&= message.sorted;
          staging.writeEpisodeNames(message.values, message.sorted);
          post({ type: 'names-written' });
        });
      });
      const options = {
        dir,
        onProgress: (progress: ImportProgress) => post({ type: 'progress', progress }),
        log: (message: string) => post({ type: 'log', message }),
      };
      const episodes = await loadImdbFile('episodes', episodesFormat(), staging.loadEpisodes, options);
      const ratings = await loadImdbFile('ratings', ratingsFormat(), staging.loadRatings, options);
      await namesEnded;
      const dropped = await staging.finish({
        basics: basicsSorted,
        episodes: episodes.counts.sorted,
        ratings: ratings.counts.sorted,
      });
      post({ type: 'done', load: { files: { episodes, ratings }, dropped } });
    } finally {
      connection.close();
    }
  } catch (error) {
    const { name, message, code } = error as Error & { code?: string };
    post({ type: 'failed', name, message, ...(typeof code === 'string' && { code }) });
  } finally {
    stopListening();
  }
}
