/** What run.ts asks a child process (child.ts) to do, and what each job sends back. */
import type { DatabaseTarget } from '../../server/config.ts';
import type { ImdbFile } from '../../server/imdb/imdb-files.ts';
import type { ImportStats } from '../../server/imdb/stats.ts';

export type Job =
  /** Loads the modules the other jobs load and exits: the RSS every child starts from. */
  | { kind: 'baseline'; label: string }
  /** The raw load floor: parse the three files and bulk-load the rows, nothing else. */
  | { kind: 'floor'; label: string; target: DatabaseTarget; dir: string }
  /** importImdbDataset from `dir` into `target`. */
  /** baselineDir: where the import keeps its files for the next one to compare with (a delta). */
  | { kind: 'import'; label: string; target: DatabaseTarget; dir: string; baselineDir: string }
  /** The full import's result (`source`) written into a fresh database: write-floor.ts. */
  | { kind: 'writeFloor'; label: string; target: DatabaseTarget; source: DatabaseTarget }
  /** runImdbSync with fromDir twice: the second run must find the files unchanged. */
  | { kind: 'sync'; label: string; target: DatabaseTarget; dir: string; dataDir: string };

export interface FloorFile {
  lines: number;
  rows: number;
  badRows: number;
  ms: number;
}

export interface FloorResult {
  ms: number;
  lines: number;
  rows: number;
  files: Record<ImdbFile, FloorFile>;
}

export interface WriteFloorResult {
  /** rowsMs + keysMs. */
  ms: number;
  /** Writing the rows into tables with no index or key in the way. */
  rowsMs: number;
  /** Building the indexes and keys after. */
  keysMs: number;
  /** How many indexes and keys were built. */
  keys: number;
  /** Rows per table. */
  rows: Record<string, number>;
}

export interface ImportResult {
  ms: number;
  stats: ImportStats;
}

export interface SyncRun {
  status: 'succeeded' | 'skipped';
  ms: number;
  /** The import's stats for a run that imported, the skip reason and hash for one that did not. */
  stats: unknown;
}

export interface SyncResult {
  runs: SyncRun[];
  /** ERROR and WARN lines the sync logged. */
  problems: string[];
}

interface Results {
  baseline: { modules: number };
  floor: FloorResult;
  writeFloor: WriteFloorResult;
  import: ImportResult;
  sync: SyncResult;
}

export type JobResult<K extends Job['kind']> = Results[K];

export type JobReply<K extends Job['kind']> =
  | { ok: true; result: JobResult<K>; maxRssBytes: number; cpuMs: number }
  | { ok: false; error: string };
