/**
 * What the merge's statements report, added up per stage with each stage's wall time, and
 * the merge's progress: per stage, the staged rows it works through, done in proportion
 * to its statements finished (a set-based statement says nothing until it ends).
 */
import type { MergeStep } from './merge.ts';
import { emptyTally, type ImportProgress, MERGE_STAGES, type MergeStage, type Tally } from './stats.ts';

/**
 * The staged rows each stage works through; both dialects run these before the merge, or
 * (STAGED_EPISODES_SQL) once title.episode is staged.
 */
export const STAGE_ROWS_SQL = `SELECT (SELECT count(*) FROM imdb_titles) AS titles,
  (SELECT count(*) FROM imdb_title_genres) AS links, (SELECT count(*) FROM imdb_ratings) AS ratings`;
export const STAGED_EPISODES_SQL = 'SELECT count(*) AS episodes FROM imdb_episodes';

/**
 * The titles staged and the live titles, the latter counted no further than the former:
 * the bulk-insert paths (bulk-insert.pg.ts, bulk-insert.sqlite.ts) compare the two.
 */
export const STAGED_AND_LIVE_SQL = `SELECT (SELECT count(*) FROM imdb_titles) AS staged,
  (SELECT count(*) FROM (SELECT 1 FROM titles LIMIT (SELECT count(*) FROM imdb_titles)) l) AS live`;

export type StageRows = Record<'titles' | 'links' | 'episodes' | 'ratings', number | string>;

/**
 * Dialects call `starting` before and `record` after each statement, and `setRows` with
 * what STAGE_ROWS_SQL and STAGED_EPISODES_SQL select.
 */
export function createMergeTally(steps: MergeStep[], onProgress?: (progress: ImportProgress) => void) {
  const tallies = Object.fromEntries(MERGE_STAGES.map((stage) => [stage, emptyTally()])) as Record<MergeStage, Tally>;
  const ms = Object.fromEntries(MERGE_STAGES.map((stage) => [stage, 0])) as Record<MergeStage, number>;
  const stepsOf = Object.fromEntries(MERGE_STAGES.map((stage) => [stage, 0])) as Record<MergeStage, number>;
  for (const step of steps) if (step.stage !== 'bookkeeping') stepsOf[step.stage] += 1;
  const finished = Object.fromEntries(MERGE_STAGES.map((stage) => [stage, 0])) as Record<MergeStage, number>;
  const rows = Object.fromEntries(MERGE_STAGES.map((stage) => [stage, 0])) as Record<MergeStage, number>;
  let current: MergeStep['stage'] | null = null;
  const report = (stage: MergeStage) => {
    const total = rows[stage];
    const done = Math.round((total * finished[stage]) / Math.max(1, stepsOf[stage]));
    onProgress?.({ phase: 'merge', stage, done, total });
  };
  return {
    tallies,
    ms,
    setRows(staged: Partial<StageRows>) {
      const stagesOf = {
        titles: ['titles'],
        links: ['genres', 'titleGenres'],
        episodes: ['seasons', 'episodes'],
        ratings: ['ratings'],
      } as const;
      for (const [key, stages] of Object.entries(stagesOf) as [keyof StageRows, readonly MergeStage[]][]) {
        if (staged[key] === undefined) continue;
        for (const stage of stages) rows[stage] = Number(staged[key]);
      }
    },
    /** Reports progress when a stage (re)starts. */
    starting(step: MergeStep) {
      if (step.stage !== current && step.stage !== 'bookkeeping') report(step.stage);
      current = step.stage;
    },
    record(step: MergeStep, result: number, elapsedMs: number) {
      if (step.stage === 'bookkeeping') return;
      ms[step.stage] += elapsedMs;
      finished[step.stage] += 1;
      for (const key of typeof step.tally === 'string' ? [step.tally] : (step.tally ?? [])) {
        tallies[step.stage][key] += result;
      }
      report(step.stage);
    },
  };
}

export type MergeTally = ReturnType<typeof createMergeTally>;
