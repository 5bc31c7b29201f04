/**
 * Imports the IMDb datasets (title.basics, title.episode, title.ratings) from a directory
 * into the catalogue: stream into staging, then merge set-based in one transaction, so a
 * failure anywhere leaves the live tables as they were. Opens its own connections (it is
 * meant to run in a child process) and picks the dialect from the target.
 *
 * With a baseline directory, the files the last import read are kept there, and the next
 * import stages only the lines that changed since (a delta, see load-delta.ts); without
 * a usable baseline it compares the whole files with the catalogue.
 */
import { sql } from 'drizzle-orm';
import type { DatabaseTarget } from '../config.ts';
import { openDatabase } from '../db/dialect.ts';
import type { Logger } from '../logger.ts';
import { BASELINE_KEY, type BaselinePlan, baselineMatches, hashDatasetFiles, saveBaseline } from './baseline.ts';
import { importIntoPostgres } from './import.pg.ts';
import { importIntoSqlite } from './import.sqlite.ts';
import {
  type DialectImportResult,
  type ImportProgress,
  type ImportSource,
  type ImportStats,
  MERGE_STAGES,
  type MergeStage,
  type SkipReason,
  stageStats,
} from './stats.ts';

export interface ImportImdbOptions {
  target: DatabaseTarget;
  /** Holds title.basics.tsv.gz, title.episode.tsv.gz and title.ratings.tsv.gz. */
  dir: string;
  /** Recorded in sync_state under imdb_catalogue; default 'full'. */
  source?: ImportSource;
  log?: Pick<Logger, 'info'>;
  onProgress?: (progress: ImportProgress) => void;
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
  /** Where the files of the last import are kept, for a delta import (full imports only). */
  baselineDir?: string;
  /** The files' SHA-256 (hashDatasetFiles), when the caller has it already. */
  filesHash?: string;
  /** From what size whole files are staged on two threads (stage-aside.ts); tests lower it. */
  stageAsideFromBytes?: number;
}

export async function importImdbDataset({
  target,
  dir,
  source = 'full',
  log,
  onProgress,
  migrate = true,
  baselineDir,
  filesHash,
  stageAsideFromBytes,
}: ImportImdbOptions): Promise<ImportStats> {
  const started = performance.now();
  if (target.dialect === 'sqlite' && target.path === ':memory:') {
    throw new Error('importImdbDataset needs a database file: it opens its own connection');
  }
  const say = log ? (message: string) => log.info(`imdb import: ${message}`) : undefined;
  const keep = source === 'full' ? baselineDir : undefined;
  const baseline = await planBaseline(target, dir, keep, filesHash, migrate);
  say?.(
    `${source} import from ${dir} into ${target.dialect}` +
      (baseline.delta ? `, compared with the files of the last import in ${baseline.delta.baselineDir}` : ''),
  );
  const options = { dir, source, onProgress, log: say, baseline };
  const result =
    target.dialect === 'pg'
      ? await importIntoPostgres({ url: target.url, ...options, stageAsideFromBytes })
      : await importIntoSqlite({ file: target.path, ...options, stageAsideFromBytes });
  const { basics, episodes, ratings } = result.keyOrders;
  if (keep && baseline.nextBaselineHash && basics && episodes && ratings) {
    // A failure here only costs the next import its delta: the recorded hash will not match.
    await saveBaseline(dir, keep, { basics, episodes, ratings }).catch((error: unknown) =>
      say?.(`could not keep the files as the next baseline: ${(error as Error).message}`),
    );
  }
  const stats = toImportStats(target.dialect, source, result, performance.now() - started);
  say?.(summary(stats));
  return stats;
}

async function planBaseline(
  target: DatabaseTarget,
  dir: string,
  baselineDir: string | undefined,
  filesHash: string | undefined,
  migrate: boolean,
): Promise<BaselinePlan> {
  const db = await openDatabase(target, { poolSize: 1, migrate });
  try {
    if (!baselineDir) return { delta: null, nextBaselineHash: null };
    const row = await db.sql.get<{ value: string }>(sql`SELECT value FROM sync_state WHERE key = ${BASELINE_KEY}`);
    const [nextBaselineHash, usable] = await Promise.all([
      filesHash ?? hashDatasetFiles(dir),
      baselineMatches(baselineDir, row?.value ?? null),
    ]);
    const baselineHash = row?.value ?? '';
    return { delta: usable ? { baselineDir, baselineHash } : null, nextBaselineHash };
  } finally {
    await db.close();
  }
}

function toImportStats(
  dialect: DatabaseTarget['dialect'],
  source: ImportSource,
  { files, merge, loadMs, mergeMs, changedLines }: DialectImportResult,
  totalMs: number,
): ImportStats {
  const { basics, episodes, ratings } = files;
  const readerSkips: Record<MergeStage, Partial<Record<SkipReason, number>>> = {
    titles: {
      badRows: basics.stats.badRows,
      duplicates: basics.counts.duplicates,
      ignoredType: basics.counts.ignoredType,
    },
    genres: {},
    titleGenres: {},
    seasons: {},
    episodes: {
      badRows: episodes.stats.badRows,
      duplicates: episodes.counts.duplicates,
      nullSeasonOrEpisode: episodes.counts.nullSeasonOrEpisode,
      unknownParent: episodes.counts.unknownParent,
    },
    ratings: { badRows: ratings.stats.badRows, duplicates: ratings.counts.duplicates },
  };
  // Staged ratings of titles outside the catalogue cost one count, not a lookup each (a
  // delta stages only what changed, so it cannot tell).
  if (!changedLines) merge.tallies.ratings.notImported = ratings.stats.staged - merge.tallies.ratings.present;
  const stages = Object.fromEntries(
    MERGE_STAGES.map((stage) => [stage, stageStats(merge.tallies[stage], merge.ms[stage], readerSkips[stage])]),
  ) as ImportStats['stages'];
  return {
    dialect,
    source,
    files: { basics: basics.stats, episodes: episodes.stats, ratings: ratings.stats },
    stages,
    ...(changedLines && { changedLines }),
    ms: { load: Math.round(loadMs), merge: Math.round(mergeMs), total: Math.round(totalMs) },
  };
}

function summary({ stages, ms, changedLines }: ImportStats): string {
  const parts = MERGE_STAGES.map((stage) => {
    const s = stages[stage];
    const skipped = Object.values(s.skipped).reduce((sum, n) => sum + n, 0);
    return `${stage} +${s.inserted} ~${s.updated} -${s.removed}${s.moved ? ` moved ${s.moved}` : ''} skipped ${skipped}`;
  });
  const delta = changedLines
    ? `, a delta of ${changedLines.basics} + ${changedLines.episodes} + ${changedLines.ratings} changed lines`
    : '';
  return `done in ${ms.total} ms (load ${ms.load}, merge ${ms.merge}${delta}): ${parts.join('; ')}`;
}
