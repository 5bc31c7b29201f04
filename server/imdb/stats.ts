/** What an import reports: per file read, per stage merged, and how long each took. */
import type { Dialect } from '../db/sql-runner.ts';
import type { ImdbFile, KeyOrder } from './imdb-files.ts';
import type { LoadedFile } from './load.ts';
import type { MergeTally } from './merge-tally.ts';

export type ImportSource = 'sample' | 'full';

export type MergeStage = 'titles' | 'genres' | 'titleGenres' | 'seasons' | 'episodes' | 'ratings';
export const MERGE_STAGES: readonly MergeStage[] = [
  'titles',
  'genres',
  'titleGenres',
  'seasons',
  'episodes',
  'ratings',
];

export type SkipReason =
  /** Lines with the wrong number of fields or values that cannot be stored. */
  | 'badRows'
  /** A tconst seen twice, or a second episode for one (show, season, episode). */
  | 'duplicates'
  /** Title types outside the catalogue (short, video, tvSpecial, ...). */
  | 'ignoredType'
  /** Episodes without a season or an episode number: nowhere to put them. */
  | 'nullSeasonOrEpisode'
  /** Episodes whose parent is not a show of the catalogue (or is `\N`). */
  | 'unknownParent'
  /** Episodes whose (season, episode) slot holds an episode the owner created. */
  | 'slotTaken'
  /** Ratings of titles that are not in the catalogue. */
  | 'notImported';

export interface StageStats {
  inserted: number;
  updated: number;
  unchanged: number;
  removed: number;
  /** Titles whose type changed between movie and show. */
  moved: number;
  skipped: Partial<Record<SkipReason, number>>;
  ms: number;
}

export interface FileStats {
  file: string;
  /** Data lines read. */
  lines: number;
  /** Rows loaded into staging. */
  staged: number;
  badRows: number;
  /** Line numbers of the first bad rows. */
  badLines: number[];
  ms: number;
}

export interface ImportStats {
  dialect: Dialect;
  source: ImportSource;
  files: Record<ImdbFile, FileStats>;
  stages: Record<MergeStage, StageStats>;
  /** Set when the files were compared with the last import's (a delta): lines that changed. */
  changedLines?: Record<ImdbFile, number>;
  ms: { load: number; merge: number; total: number };
}

export type ImportProgress =
  | { phase: 'load'; file: string; lines: number; bytesRead: number; bytesTotal: number }
  /** `total`: the staged rows the stage works through; `done` advances as its statements finish. */
  | { phase: 'merge'; stage: MergeStage; done: number; total: number };

/** Counts the merge statements produce; stage stats are derived from them. */
export type Tally = Record<
  | 'inserted'
  | 'updated'
  | 'removed'
  | 'moved'
  /** Imported rows present in the live tables once merged (new, changed or not). */
  | 'present'
  | Exclude<SkipReason, 'badRows' | 'ignoredType'>,
  number
>;

export const emptyTally = (): Tally => ({
  inserted: 0,
  updated: 0,
  removed: 0,
  moved: 0,
  present: 0,
  duplicates: 0,
  nullSeasonOrEpisode: 0,
  unknownParent: 0,
  slotTaken: 0,
  notImported: 0,
});

/** Turns a stage's tally (plus what the readers skipped) into its reported stats. */
export function stageStats(tally: Tally, ms: number, readerSkips: Partial<Record<SkipReason, number>>): StageStats {
  const skipped: Partial<Record<SkipReason, number>> = {};
  const reasons: [SkipReason, number][] = [
    ...(Object.entries(readerSkips) as [SkipReason, number][]),
    ['duplicates', tally.duplicates],
    ['nullSeasonOrEpisode', tally.nullSeasonOrEpisode],
    ['unknownParent', tally.unknownParent],
    ['slotTaken', tally.slotTaken],
    ['notImported', tally.notImported],
  ];
  for (const [reason, count] of reasons) {
    if (count > 0) skipped[reason] = (skipped[reason] ?? 0) + count;
  }
  return {
    inserted: tally.inserted,
    updated: tally.updated,
    unchanged: Math.max(0, tally.present - tally.inserted - tally.updated),
    removed: tally.removed,
    moved: tally.moved,
    skipped,
    ms: Math.round(ms),
  };
}

/** What a dialect's import hands back for the report. */
export interface DialectImportResult {
  files: Record<ImdbFile, LoadedFile>;
  /** Set for a delta import. */
  changedLines?: Record<ImdbFile, number>;
  /** The order each file's tconsts came in (null: in neither), kept with the baseline. */
  keyOrders: Record<ImdbFile, KeyOrder | null>;
  merge: MergeTally;
  loadMs: number;
  mergeMs: number;
}
