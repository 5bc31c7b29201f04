/**
 * SQLite's staging aside (stage-aside.ts): better-sqlite3 is synchronous, so reading,
 * parsing and writing one file take turns on one thread, and the worker writes title.episode
 * and the episode names into a scratch database file through a connection of its own. The
 * merge attaches the scratch file before it begins, where the unqualified staging names
 * find its tables (the TEMP database holds none of those names). At full scale the merge
 * started after 28 s of loading one file after the other and after 12-13 s this way (the
 * whole import went from 58 s to 53-56 s); with each episode staged with its name the
 * episode insert went from 9.5 s to 6.3 s, the import to 50.6 s.
 *
 * The scratch file lives in the OS's temp directory and is removed when the run ends,
 * whether it succeeded or not; a killed run leaves it to the next import (removeOrphans).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Staging } from './load.ts';
import { type AsideMessage, runAside, stageAsideOn, worthStagingAside } from './stage-aside.ts';
import { ASIDE_TABLES, createSqliteStaging, createStagingTables } from './staging.sqlite.ts';

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
export async function scratchFileFor(dir: string, fromBytes?: number): Promise<ScratchFile | null> {
  if (!(await worthStagingAside(dir, fromBytes))) return null;
  await removeOrphans();
  const scratchDir = await mkdtemp(path.join(tmpdir(), `${SCRATCH_PREFIX}${process.pid}-`));
  return {
    file: path.join(scratchDir, 'staging.db'),
    remove: () => rm(scratchDir, { recursive: true, force: true }),
  };
}

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
  return { stageAside: stageAsideOn({ dialect: 'sqlite', scratchFile }) };
}

/** The worker's side: stages title.episode and the episode names into the scratch file. */
export function runStageAside(
  { scratchFile, dir }: { scratchFile: string; dir: string },
  post: (message: AsideMessage) => void,
): Promise<void> {
  return runAside(
    dir,
    async () => {
      const connection = new BetterSqlite3(scratchFile);
      // A scratch file: nothing to recover if the run dies, so no journal and no syncs.
      connection.pragma('journal_mode = OFF');
      connection.pragma('synchronous = OFF');
      const staging = createSqliteStaging(connection);
      return {
        staging: {
          loadNamedEpisodes: staging.loadNamedEpisodes,
          unstageNames: async () => staging.unstageNames(),
          loadNames: staging.loadBasics,
          finish: staging.finish,
        },
        close: async () => {
          connection.close();
        },
      };
    },
    post,
  );
}
