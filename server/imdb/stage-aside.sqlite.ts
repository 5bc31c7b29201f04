/**
 * Staging on two cores (SQLite): better-sqlite3 is synchronous, so reading, parsing and
 * writing one file take turns on one thread. While this thread stages title.basics' lines
 * but the episodes and title.ratings (all the merge needs until it places episodes), a
 * worker thread stages title.episode and title.basics' episode lines (the episodes' names)
 * into a scratch database file through a connection of its own. Each reads title.basics
 * for itself, deciding on a line's bytes whether it is theirs (readTsv's `select`): the
 * 1.3 s of gunzipping it twice buys this thread out of nine lines in ten, so it finishes
 * in about half the time and the merge starts while the worker is still writing. The
 * merge attaches the scratch file before it begins, where the unqualified staging names
 * find its tables (the TEMP database holds none of those names), and awaits the worker
 * before its first episode step. At full scale the merge started after 28 s of loading one
 * file after the other, after 21 s with the names handed over to this thread (which had
 * title.ratings too), and after 12-13 s this way: the whole import went from 58 s to 53-56 s.
 *
 * The worker reads its two files side by side and stages each episode with its name
 * (name-window.ts): 9M rows fewer to write than with a table of names, and no lookup per
 * episode in the merge (the episode insert went from 9.5 s to 6.3 s, the import to 50.6 s).
 *
 * Only for files large enough to be worth a thread's start-up (tsx compiles the modules
 * again in the worker). The scratch file lives in the OS's temp directory and is removed
 * when the run ends, whether it succeeded or not; a killed run leaves it to the next
 * import (removeOrphans).
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { basicsFormat, EPISODE_LINES, episodesFormat, IMDB_FILES } from './imdb-files.ts';
import { type AsideLoad, type AsideOptions, type LoadedFile, loadImdbFile, type Staging } from './load.ts';
import { createNameWindow, type NameWindow } from './name-window.ts';
import { ASIDE_TABLES, createSqliteStaging, createStagingTables, type SqliteStaging } from './staging.sqlite.ts';
import type { ImportProgress } from './stats.ts';

/** Below this many gzipped bytes of title.episode and title.basics, staging stays on one thread. */
export const STAGE_ASIDE_FROM_BYTES = 4 * 1024 * 1024;

// Named after the process that stages into it: mediacanon-staging-<pid>-<random>.
const SCRATCH_PREFIX = 'mediacanon-staging-';
const SCRATCH_PID = new RegExp(`^${SCRATCH_PREFIX}(\\d+)-`);

/**
 * Removes the scratch directories of imports killed on the way (about 400 MB each at full
 * scale): those whose process is gone. A pid reused since keeps its directory until a
 * later import.
 */
async function removeOrphans(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(SCRATCH_PID.exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    await rm(path.join(tmpdir(), name), { recursive: true, force: true }).catch(() => {});
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: running, as another user.
    return (error as { code?: string }).code === 'EPERM';
  }
}

export interface ScratchFile {
  file: string;
  /** Removes the file (and its directory). */
  remove(): Promise<void>;
}

/** A scratch database file for the aside staging, when the files are large enough to use one. */
export async function scratchFileFor(dir: string, fromBytes = STAGE_ASIDE_FROM_BYTES): Promise<ScratchFile | null> {
  const sizes = await Promise.all(
    [IMDB_FILES.episodes, IMDB_FILES.basics].map((name) =>
      stat(path.join(dir, name)).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  if (sizes.reduce((a, b) => a + b, 0) < fromBytes) return null;
  await removeOrphans();
  const scratchDir = await mkdtemp(path.join(tmpdir(), `${SCRATCH_PREFIX}${process.pid}-`));
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

/**
 * Staging.stageAside for a connection that will attach `scratchFile` before the merge. The
 * tables are made here, before the thread starts, so they are there whenever it attaches.
 */
export function createStageAside(scratchFile: string): Pick<Staging, 'stageAside'> {
  const scratch = new BetterSqlite3(scratchFile);
  try {
    createStagingTables(scratch, { schema: 'main', only: ASIDE_TABLES });
  } finally {
    scratch.close();
  }
  const stageAside = ({ dir, signal, onProgress, log }: AsideOptions): Promise<AsideLoad> =>
    new Promise((resolve, reject) => {
      const workerData: WorkerData = { scratchFile, dir };
      const thread = new Worker(new URL('./stage-aside.worker.mjs', import.meta.url), { workerData });
      signal.addEventListener('abort', () => void thread.terminate(), { once: true });
      let outcome: { load: AsideLoad } | { error: Error } | null = null;
      thread.on('message', (message: WorkerMessage) => {
        if (message.type === 'progress') onProgress?.(message.progress);
        else if (message.type === 'log') log?.(message.message);
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
  return { stageAside };
}

/**
 * The worker's side: stages title.episode with the names title.basics' episode lines give
 * (read at the same time, paired as they come: name-window.ts) into the scratch file.
 */
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
      const staging = createSqliteStaging(connection);
      const log = (message: string) => post({ type: 'log', message });
      const onProgress = (progress: ImportProgress) => post({ type: 'progress', progress });
      const { episodes, episodeNames } = await stageNamedEpisodes(staging, { dir, onProgress, log });
      // Nothing of title.ratings is staged here.
      const dropped = await staging.finish({
        basics: episodeNames.counts.sorted,
        episodes: episodes.counts.sorted,
        ratings: true,
      });
      post({ type: 'done', load: { episodes, episodeNames, dropped } });
    } finally {
      connection.close();
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
  staging: SqliteStaging,
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
    staging.unstageNames();
    episodeNames = await loadImdbFile('basics', basicsFormat(), staging.loadBasics, { dir, log, select });
  }
  return { episodes, episodeNames };
}
