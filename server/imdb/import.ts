/**
 * Imports the IMDb datasets (title.basics, title.episode, title.ratings) from a directory
 * into the catalogue: stream into staging, then merge set-based in one transaction, so a
 * failure anywhere leaves the live tables as they were. Opens its own connections (it is
 * meant to run in a child process) and picks the dialect from the target.
 */
import type { DatabaseTarget } from '../config.ts';
import { openDatabase } from '../db/dialect.ts';
import type { Logger } from '../logger.ts';
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
}

export async function importImdbDataset({
  target,
  dir,
  source = 'full',
  log,
  onProgress,
  migrate = true,
}: ImportImdbOptions): Promise<ImportStats> {
  const started = performance.now();
  if (target.dialect === 'sqlite' && target.path === ':memory:') {
    throw new Error('importImdbDataset needs a database file: it opens its own connection');
  }
  if (migrate) await (await openDatabase(target, { poolSize: 1 })).close();
  const say = log ? (message: string) => log.info(`imdb import: ${message}`) : undefined;
  say?.(`${source} import from ${dir} into ${target.dialect}`);
  const options = { dir, source, onProgress, log: say };
  const result =
    target.dialect === 'pg'
      ? await importIntoPostgres({ url: target.url, ...options })
      : await importIntoSqlite({ file: target.path, ...options });
  const stats = toImportStats(target.dialect, source, result, performance.now() - started);
  say?.(summary(stats));
  return stats;
}

function toImportStats(
  dialect: DatabaseTarget['dialect'],
  source: ImportSource,
  { files, merge, loadMs, mergeMs }: DialectImportResult,
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
  // Staged ratings of titles outside the catalogue cost one count, not a lookup each.
  merge.tallies.ratings.notImported = ratings.stats.staged - merge.tallies.ratings.present;
  const stages = Object.fromEntries(
    MERGE_STAGES.map((stage) => [stage, stageStats(merge.tallies[stage], merge.ms[stage], readerSkips[stage])]),
  ) as ImportStats['stages'];
  return {
    dialect,
    source,
    files: { basics: basics.stats, episodes: episodes.stats, ratings: ratings.stats },
    stages,
    ms: { load: Math.round(loadMs), merge: Math.round(mergeMs), total: Math.round(totalMs) },
  };
}

function summary({ stages, ms }: ImportStats): string {
  const parts = MERGE_STAGES.map((stage) => {
    const s = stages[stage];
    const skipped = Object.values(s.skipped).reduce((sum, n) => sum + n, 0);
    return `${stage} +${s.inserted} ~${s.updated} -${s.removed}${s.moved ? ` moved ${s.moved}` : ''} skipped ${skipped}`;
  });
  return `done in ${ms.total} ms (load ${ms.load}, merge ${ms.merge}): ${parts.join('; ')}`;
}
