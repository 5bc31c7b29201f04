/**
 * Staging on two cores (SQLite): better-sqlite3 is synchronous, so reading, parsing and
 * writing one file take turns on one thread. While this thread stages title.basics, a
 * worker thread stages title.episode and title.ratings into a scratch database file
 * through a connection of its own; the merge then attaches that file, where the
 * unqualified staging names find its tables (the TEMP database holds no tables of those
 * names). At full scale the load took 28 s one file after the other, 19 s this way.
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
import { ASIDE_TABLES, createSqliteStaging, createStagingTables } from './staging.sqlite.ts';
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
  | { type: 'done'; load: AsideLoad }
  | { type: 'failed'; name: string; message: string; code?: string };

/** Staging.stageAside for a connection that will attach `scratchFile` before the merge. */
export function stageAsideInto(scratchFile: string) {
  return ({ dir, signal, onProgress, log }: AsideOptions): Promise<AsideLoad> =>
    new Promise((resolve, reject) => {
      const workerData: WorkerData = { scratchFile, dir };
      const worker = new Worker(new URL('./stage-aside.worker.mjs', import.meta.url), { workerData });
      signal.addEventListener('abort', () => void worker.terminate(), { once: true });
      let outcome: { load: AsideLoad } | { error: Error } | null = null;
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'progress') onProgress?.(message.progress);
        else if (message.type === 'log') log?.(message.message);
        else if (message.type === 'done') outcome = { load: message.load };
        // The error as the file reader threw it (ImdbFileError: which file, what is wrong).
        else outcome = { error: Object.assign(new Error(message.message), { name: message.name, code: message.code }) };
      });
      worker.on('error', (error) => {
        outcome ??= { error };
      });
      worker.on('exit', (code) => {
        if (outcome && 'load' in outcome) resolve(outcome.load);
        else reject(outcome?.error ?? new Error(`the staging thread stopped (exit code ${code}) before it was done`));
      });
    });
}

/** The worker's side: stages the two files into the scratch file and says how it went. */
export async function runStageAside(
  { scratchFile, dir }: WorkerData,
  post: (message: WorkerMessage) => void,
): Promise<void> {
  try {
    const connection = new BetterSqlite3(scratchFile);
    try {
      // A scratch file: nothing to recover if the run dies, so no journal and no syncs.
      connection.pragma('journal_mode = OFF');
      connection.pragma('synchronous = OFF');
      createStagingTables(connection, { schema: 'main', only: ASIDE_TABLES });
      const staging = createSqliteStaging(connection);
      const options = {
        dir,
        onProgress: (progress: ImportProgress) => post({ type: 'progress', progress }),
        log: (message: string) => post({ type: 'log', message }),
      };
      const episodes = await loadImdbFile('episodes', episodesFormat(), staging.loadEpisodes, options);
      const ratings = await loadImdbFile('ratings', ratingsFormat(), staging.loadRatings, options);
      const dropped = await staging.finish({
        basics: true,
        episodes: episodes.counts.sorted,
        ratings: ratings.counts.sorted,
      });
      post({
        type: 'done',
        load: { files: { episodes, ratings }, dropped: { episodes: dropped.episodes, ratings: dropped.ratings } },
      });
    } finally {
      connection.close();
    }
  } catch (error) {
    const { name, message, code } = error as Error & { code?: string };
    post({ type: 'failed', name, message, ...(typeof code === 'string' && { code }) });
  }
}
