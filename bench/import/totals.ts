/** Totals read off an import's stats, and the units the report uses. */
import os from 'node:os';
import { type ImportStats, MERGE_STAGES } from '../../server/imdb/stats.ts';

/** Data lines read from the three files. */
export const linesRead = (stats: ImportStats) => Object.values(stats.files).reduce((sum, f) => sum + f.lines, 0);

/** Rows inserted, updated or removed by the merge. */
export const changesMade = (stats: ImportStats) =>
  MERGE_STAGES.reduce((sum, stage) => {
    const s = stats.stages[stage];
    return sum + s.inserted + s.updated + s.removed;
  }, 0);

export const loadAverage = () => os.loadavg().map((n) => Number(n.toFixed(2)));
export const seconds = (ms: number) => ms / 1000;
