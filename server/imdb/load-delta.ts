/**
 * Loading a day's files as a delta: each file is compared line by line with the one the
 * last import read (the baseline, see baseline.ts), and only what changed reaches staging,
 * with the tconsts the merge must look at again (the scope). The merge then compares just
 * those with the live tables, in the same statements as a full import (merge.ts).
 *
 * A line that did not change is still staged when a change elsewhere makes it matter:
 * - episodes of a title whose title.basics line changed (a show added, removed, retyped),
 *   and episodes whose own title.basics line changed (a new name);
 * - episodes whose slot (show, season, episode) a changed or removed episode left: one of
 *   them may have lost that slot to it as a duplicate, and now takes it;
 * - ratings of titles whose title.basics line changed (a title new to the catalogue
 *   brings its rating along);
 * - the names (title.basics) of episodes staged whose title.basics line did not change,
 *   found in one more pass over title.basics.
 *
 * The files are walked in the order the baseline's import found them in: IMDb's exports
 * order tconsts as text, generated datasets by number (see KeyOrder); a file that is not
 * in that order is imported whole.
 *
 * The keys held in memory are bounded (DELTA_KEY_LIMIT): a day with more changes than
 * that is imported by comparing the whole files instead.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { baselineKeyOrders } from './baseline.ts';
import { createSink, type Sink } from './delta-sink.ts';
import { compareKeyBytes, type GzLines } from './gz-lines.ts';
import {
  basicsFormat,
  compareImdbIds,
  episodesFormat,
  IMDB_FILES,
  type ImdbFile,
  type KeyOrder,
  ratingsFormat,
} from './imdb-files.ts';
import type { LoadedFile, LoadOptions } from './load.ts';
import { BaselineUnusable, diffFiles, type LineDiff, walkFile } from './snapshot-diff.ts';
import type { TsvReport } from './tsv.ts';

export const DELTA_KEY_LIMIT = 400_000;
const PROGRESS_INTERVAL_MS = 500;

export type ScopeTable = 'imdb_title_scope' | 'imdb_episode_scope' | 'imdb_rating_scope';

export interface DeltaOptions extends LoadOptions {
  baselineDir: string;
  /** Keys held in memory before giving up on the delta (default DELTA_KEY_LIMIT). */
  keyLimit?: number;
}

export interface DeltaLoad {
  files: Record<ImdbFile, LoadedFile>;
  /** Lines that differ from the baseline, per file. */
  changedLines: Record<ImdbFile, number>;
  /** The order the files were walked in (and so found in). */
  keyOrders: Record<ImdbFile, KeyOrder>;
}

export async function loadImdbDelta(options: DeltaOptions): Promise<DeltaLoad> {
  const sinks: Sink[] = [];
  try {
    return await compareFiles(options, (sink) => {
      sinks.push(sink as Sink);
      return sink;
    });
  } catch (error) {
    await Promise.all(sinks.map((sink) => sink.abort(error)));
    throw error;
  }
}

async function compareFiles(options: DeltaOptions, track: <S>(sink: S) => S): Promise<DeltaLoad> {
  const { dir, baselineDir, staging, onProgress, log } = options;
  const keyLimit = options.keyLimit ?? DELTA_KEY_LIMIT;
  const newFile = (file: ImdbFile) => path.join(dir, IMDB_FILES[file]);
  const oldFile = (file: ImdbFile) => path.join(baselineDir, IMDB_FILES[file]);
  let held = 0;
  const hold = (count = 1) => {
    held += count;
    if (held > keyLimit) {
      throw new BaselineUnusable(`more than ${keyLimit} lines changed since the last import`);
    }
  };
  const changedLines: Record<ImdbFile, number> = { basics: 0, episodes: 0, ratings: 0 };
  const keyOrders = await baselineKeyOrders(baselineDir);
  const progress = progressReporter(onProgress);
  // Each file's walk feeds its sink: the header first, and batches as the reader reads on.
  const walk = (
    file: ImdbFile,
    sink: Pick<Sink, 'header' | 'drain'>,
    lines: Pick<LineDiff, 'changed' | 'removed' | 'unchanged'>,
  ) =>
    diffFiles(oldFile(file), newFile(file), keyOrders[file], {
      header: (line) => sink.header(line),
      drain: async (line) => {
        progress(file, line, newFile(file));
        await sink.drain();
      },
      ...lines,
    });

  // title.basics: every tconst whose line changed is in the titles' scope.
  const titleKeys = new Set<string>();
  const basics = track(createSink(newFile('basics'), basicsFormat(), (b, order) => staging.loadBasics(b, order)));
  let started = performance.now();
  const basicsLines = await walk('basics', basics, {
    changed(line) {
      titleKeys.add(line.key());
      hold();
      basics.add(line);
    },
    removed(old) {
      titleKeys.add(old.key());
      hold();
    },
    unchanged() {},
  });
  await basics.finish();
  changedLines.basics = titleKeys.size;
  const basicsMs = performance.now() - started;

  // title.episode: changed lines, and the unchanged ones a change elsewhere concerns.
  started = performance.now();
  const episodeScope: string[] = [];
  const leftSlots = new Set<string>();
  const leftSlotParents = new Set<number>();
  const leaveSlot = (old: GzLines) => {
    leftSlots.add(old.rest());
    leftSlotParents.add(old.tconstNumber(1));
  };
  const titleNumbers = new Set([...titleKeys].map((key) => (/^tt\d{1,15}$/.test(key) ? Number(key.slice(2)) : -1)));
  titleNumbers.delete(-1);
  const namesNeeded = new Set<string>();
  const episodes = track(
    createSink(newFile('episodes'), episodesFormat(), (b, order) => staging.loadEpisodes(b, order)),
  );
  const stageEpisode = (line: GzLines) => {
    const key = line.key();
    episodeScope.push(key);
    hold();
    if (episodes.add(line) && !titleKeys.has(key)) {
      namesNeeded.add(key);
      hold();
    }
  };
  const episodeLines = await walk('episodes', episodes, {
    changed(line, old) {
      changedLines.episodes += 1;
      if (old) leaveSlot(old);
      stageEpisode(line);
    },
    removed(old) {
      changedLines.episodes += 1;
      leaveSlot(old);
      episodeScope.push(old.key());
      hold(2);
    },
    // Nine lines in ten of a day's file: looked up by number, with no string made.
    unchanged(line) {
      const key = line.tconstNumber(0);
      const parent = line.tconstNumber(1);
      if (key === -1 || parent === -1) {
        if (titleKeys.has(line.key()) || titleKeys.has(line.second()) || leftSlots.has(line.rest())) {
          stageEpisode(line);
        }
      } else if (
        titleNumbers.has(key) ||
        titleNumbers.has(parent) ||
        (leftSlotParents.has(parent) && leftSlots.has(line.rest()))
      ) {
        stageEpisode(line);
      }
    },
  });
  // By number, a duplicate can come before the episode that won its slot (the lowest
  // tconst as text wins): one more pass stages the unchanged ones in the slots left.
  if (keyOrders.episodes === 'number' && leftSlots.size > 0) {
    const staged = new Set(episodeScope);
    await walkFile(
      newFile('episodes'),
      () => {},
      (line) => {
        if (leftSlotParents.has(line.tconstNumber(1)) && leftSlots.has(line.rest()) && !staged.has(line.key())) {
          stageEpisode(line);
        }
        return true;
      },
    );
  }
  await episodes.finish();
  const episodesMs = performance.now() - started;

  // The names of staged episodes whose title.basics line was not staged above.
  if (namesNeeded.size > 0) {
    started = performance.now();
    // Only the episodes' names: a title of the catalogue here was not in the title scope.
    const names = track(
      createSink(
        newFile('basics'),
        basicsFormat(),
        (b, order) => staging.loadBasics(b, order),
        (row) => row.kind === 'episode',
      ),
    );
    // Staged in tconst order, as title.basics is: one ordered walk finds them all.
    const wanted = [...namesNeeded]
      .sort((a, b) => compareImdbIds(a, b, keyOrders.basics))
      .map((key) => Buffer.from(key, 'latin1'));
    const order = (line: GzLines, key: Buffer) =>
      compareKeyBytes(line.buffer, line.start, line.keyEnd, key, 0, key.length, keyOrders.basics);
    let next = 0;
    await walkFile(
      newFile('basics'),
      (line) => names.header(line),
      (line) => {
        let step = order(line, wanted[next] as Buffer);
        while (step > 0 && ++next < wanted.length) step = order(line, wanted[next] as Buffer);
        if (step === 0) {
          names.add(line);
          next += 1;
        }
        return next < wanted.length;
      },
    );
    await names.finish();
    log?.(`${IMDB_FILES.basics}: names of ${namesNeeded.size} episodes read again in ${ms(started)} ms`);
  }

  // title.ratings: changed lines, and those of titles whose title.basics line changed.
  started = performance.now();
  const ratingScope: string[] = [];
  const ratings = track(createSink(newFile('ratings'), ratingsFormat(), (b, order) => staging.loadRatings(b, order)));
  const ratingLines = await walk('ratings', ratings, {
    changed(line) {
      changedLines.ratings += 1;
      ratings.add(line);
    },
    removed(old) {
      changedLines.ratings += 1;
      ratingScope.push(old.key());
      hold();
    },
    unchanged(line) {
      if (titleKeys.size > 0 && titleKeys.has(line.key())) ratings.add(line);
    },
  });
  await ratings.finish();
  const ratingsMs = performance.now() - started;

  const titleScope = [...titleKeys];
  await staging.loadScope('imdb_title_scope', titleScope);
  await staging.loadScope('imdb_episode_scope', [...episodeScope, ...titleScope]);
  await staging.loadScope('imdb_rating_scope', [...ratingScope, ...titleScope]);
  await staging.finish({ basics: true, episodes: true, ratings: true });

  const loaded = (
    file: ImdbFile,
    sink: { report: TsvReport; counts: LoadedFile['counts'] },
    lines: number,
    t: number,
  ) => {
    const name = IMDB_FILES[file];
    log?.(`${name}: ${changedLines[file]} of ${lines} lines changed, ${sink.report.rows} staged, ${Math.round(t)} ms`);
    return {
      stats: {
        file: name,
        lines,
        staged: sink.report.rows,
        badRows: sink.report.badRows,
        badLines: sink.report.badLines,
        ms: Math.round(t),
      },
      counts: sink.counts,
    };
  };
  return {
    files: {
      basics: loaded('basics', basics, basicsLines, basicsMs),
      episodes: loaded('episodes', episodes, episodeLines, episodesMs),
      ratings: loaded('ratings', ratings, ratingLines, ratingsMs),
    },
    changedLines,
    keyOrders,
  };
}

function ms(since: number): number {
  return Math.round(performance.now() - since);
}

function progressReporter(onProgress: DeltaOptions['onProgress']) {
  let reported = 0;
  const sizes = new Map<string, number>();
  return (file: ImdbFile, line: GzLines, fullPath: string) => {
    if (!onProgress || performance.now() - reported < PROGRESS_INTERVAL_MS) return;
    reported = performance.now();
    const name = IMDB_FILES[file];
    if (!sizes.has(fullPath)) {
      sizes.set(fullPath, 0);
      void stat(fullPath).then(
        (s) => sizes.set(fullPath, s.size),
        () => {},
      );
    }
    onProgress({
      phase: 'load',
      file: name,
      lines: line.lines,
      bytesRead: line.bytesRead,
      bytesTotal: sizes.get(fullPath) ?? 0,
    });
  };
}
