/**
 * A delta import (only the lines that changed since the last import, see load-delta.ts)
 * must leave exactly the catalogue a whole comparison leaves. Each case builds random
 * snapshots over a small set of tconsts (so slots collide, parents come and go, titles
 * change kind), imports day 0 into two databases, then day 1 and day 2 into one whole and
 * into the other as deltas, and compares everything the import writes.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/databases.ts';
import type { Database } from '../db/sql-runner.ts';
import { createRepositories } from '../repositories.ts';
import { compareImdbIds, type KeyOrder } from './imdb-files.ts';
import { importImdbDataset } from './import.ts';
import type { ImportStats } from './stats.ts';
import {
  basicsLine as b,
  type DatasetLines,
  episodeLine as e,
  ratingLine as r,
  writeDataset,
} from './test-datasets.ts';
import { createTestTarget, type TestTarget } from './test-targets.ts';

const CASES = Number(process.env.DELTA_CASES ?? 6);
const TYPES = ['movie', 'movie', 'tvMovie', 'tvSeries', 'tvSeries', 'tvMiniSeries', 'tvEpisode', 'tvEpisode', 'short'];
const NAMES = ['Alpha', 'Beta', 'Gamma', '"Quoted', 'Delta', 'Épée', 'Zeta'];
const GENRES = ['Drama', 'Comedy', 'Action', 'Western', 'Sci-Fi'];

/** A small deterministic generator (mulberry32): a failing seed can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { chance: (p: number) => next() < p, int, pick: <T>(list: readonly T[]) => list[int(list.length)] as T };
}

type Rng = ReturnType<typeof random>;
// Seven digits then eight: by number tt9000025 comes before tt10000026, as text after it.
const tconst = (n: number) => `tt${n <= 25 ? 9_000_000 + n : 10_000_000 + n}`;
const byKey = (order: KeyOrder) => (x: string, y: string) =>
  compareImdbIds(x.slice(0, x.indexOf('\t')), y.slice(0, y.indexOf('\t')), order);

// The first few tconsts are mostly shows, and most episodes' parents: slots collide often.
const SHOWS = 6;
const SHOW_IDS = new Set(Array.from({ length: SHOWS }, (_, i) => tconst(i + 1)));

function basicsOf(rng: Rng, id: string): string {
  const genres = GENRES.filter(() => rng.chance(0.3)).join(',') || null;
  const type = SHOW_IDS.has(id) && rng.chance(0.8) ? 'tvSeries' : rng.pick(TYPES);
  return b(id, type, `${rng.pick(NAMES)} ${rng.int(3)}`, {
    start: rng.chance(0.8) ? 1990 + rng.int(30) : null,
    runtime: rng.chance(0.6) ? 20 + rng.int(3) * 10 : null,
    genres,
  });
}

function episodeOf(rng: Rng, id: string, ids: number): string {
  const parent = rng.chance(0.8)
    ? tconst(1 + rng.int(SHOWS))
    : rng.chance(0.8)
      ? tconst(1 + rng.int(ids))
      : 'tt9999999';
  return e(id, parent, rng.chance(0.9) ? 1 + rng.int(2) : null, rng.chance(0.9) ? 1 + rng.int(3) : null);
}

function ratingOf(rng: Rng, id: string): string {
  return r(id, `${1 + rng.int(9)}.${rng.int(10)}`, rng.int(5000));
}

function day0(rng: Rng, ids: number, order: KeyOrder): DatasetLines {
  const lines: DatasetLines = { basics: [], episodes: [], ratings: [] };
  for (let n = 1; n <= ids; n++) {
    const id = tconst(n);
    if (rng.chance(0.9)) lines.basics.push(basicsOf(rng, id));
    if (n > SHOWS && rng.chance(0.7)) lines.episodes.push(episodeOf(rng, id, ids));
    if (rng.chance(0.6)) lines.ratings.push(ratingOf(rng, id));
  }
  for (const list of Object.values(lines)) list.sort(byKey(order));
  return lines;
}

/** The next day: each line changed, removed or left alone; a few new tconsts. */
function nextDay(rng: Rng, lines: DatasetLines, ids: number, rate: number, order: KeyOrder = 'number'): DatasetLines {
  const key = (line: string) => line.slice(0, line.indexOf('\t'));
  const mutate = (list: string[], make: (id: string) => string, extra: number) => {
    const out: string[] = [];
    const present = new Set(list.map(key));
    for (const line of list) {
      if (!rng.chance(rate)) out.push(line);
      else if (rng.chance(0.7)) out.push(make(key(line)));
    }
    for (let n = 1; n <= extra; n++) {
      const id = tconst(1 + rng.int(ids + 10));
      if (!present.has(id) && !out.some((line) => key(line) === id)) out.push(make(id));
    }
    return out.sort(byKey(order));
  };
  return {
    basics: mutate(lines.basics, (id) => basicsOf(rng, id), 3),
    episodes: mutate(lines.episodes, (id) => episodeOf(rng, id, ids), 3),
    ratings: mutate(lines.ratings, (id) => ratingOf(rng, id), 3),
  };
}

/** Everything the import writes, by natural keys (ids may differ between two databases). */
async function catalogue(db: Database) {
  const titles = await db.sql.all(sql`
    SELECT t.imdb_id, t.type, t.display_name, t.search_name, t.original_title, t.start_year, t.end_year,
      t.runtime_minutes, CAST(t.average_rating AS text) AS rating, t.num_votes,
      (SELECT count(*) FROM movies m WHERE m.title_id = t.id) AS movie_rows,
      (SELECT count(*) FROM shows s WHERE s.title_id = t.id) AS show_rows
    FROM titles t ORDER BY t.imdb_id, t.display_name`);
  const seasons = await db.sql.all(sql`
    SELECT t.imdb_id AS show, ss.season FROM show_seasons ss JOIN shows s ON s.id = ss.show_id
    JOIN titles t ON t.id = s.title_id ORDER BY t.imdb_id, ss.season`);
  const episodes = await db.sql.all(sql`
    SELECT e.imdb_id, t.imdb_id AS show, ss.season, e.episode, e.display_name FROM show_episodes e
    JOIN show_seasons ss ON ss.id = e.season_id JOIN shows s ON s.id = ss.show_id JOIN titles t ON t.id = s.title_id
    ORDER BY t.imdb_id, ss.season, e.episode`);
  const genres = await db.sql.all(sql`
    SELECT t.imdb_id, g.name FROM title_genres tg JOIN titles t ON t.id = tg.title_id
    JOIN genres g ON g.id = tg.genre_id ORDER BY t.imdb_id, g.name`);
  return { titles, seasons, episodes, genres };
}

describeEachDialect('IMDb delta import', (dialect) => {
  let whole: TestTarget;
  let delta: TestTarget;
  let dir: string;

  beforeEach(async () => {
    [whole, delta] = await Promise.all([createTestTarget(dialect), createTestTarget(dialect)]);
    dir = await mkdtemp(path.join(tmpdir(), 'mc-imdb-delta-'));
  });
  afterEach(async () => {
    await Promise.all([whole.dispose(), delta.dispose(), rm(dir, { recursive: true, force: true })]);
  });

  /** Writes `lines` as a day's files and imports them into both databases. */
  const importDay = async (day: number, lines: DatasetLines) => {
    const files = path.join(dir, `day${day}`);
    await mkdir(files);
    await writeDataset(files, lines);
    const baselineDir = path.join(dir, 'baseline');
    const wholeStats = await importImdbDataset({ target: whole.target, dir: files });
    // When it imports whole files (no usable baseline), SQLite stages this one on two
    // threads, however small the files: the catalogues must still agree, and the baseline
    // it keeps must still serve the next delta.
    const deltaStats = await importImdbDataset({
      target: delta.target,
      dir: files,
      baselineDir,
      stageAsideFromBytes: 0,
    });
    return { wholeStats, deltaStats };
  };
  const compare = async () => {
    const [a, b] = await Promise.all([whole.open(), delta.open()]);
    try {
      const [left, right] = await Promise.all([catalogue(a), catalogue(b)]);
      expect(right).toEqual(left);
      return left;
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  };
  const changes = (stats: ImportStats) =>
    Object.values(stats.stages).reduce((sum, s) => sum + s.inserted + s.updated + s.removed, 0);

  it(
    `leaves the catalogue a whole comparison leaves, over ${CASES} random snapshot pairs`,
    async () => {
      for (let seed = 1; seed <= CASES; seed++) {
        const rng = random(seed * 7919);
        const ids = 40;
        // IMDb's exports are ordered as text, the generated datasets by number: both walk.
        const order: KeyOrder = seed % 2 === 0 ? 'number' : 'text';
        const lines0 = day0(rng, ids, order);
        const first = await importDay(seed * 10, lines0);
        expect(first.deltaStats.changedLines).toBeUndefined(); // no baseline yet
        await compare();

        const lines1 = nextDay(rng, lines0, ids, 0.25, order);
        const second = await importDay(seed * 10 + 1, lines1);
        expect(second.wholeStats.changedLines).toBeUndefined();
        expect(second.deltaStats.changedLines, `seed ${seed}: day 1 is a delta`).toBeDefined();
        // Both made the same changes; the delta staged no more than the changed lines need.
        expect(changes(second.deltaStats), `seed ${seed}`).toBe(changes(second.wholeStats));
        const after1 = await compare();
        expect(after1.titles.length).toBeGreaterThan(5);

        const lines2 = nextDay(rng, lines1, ids, 0.15, order);
        const third = await importDay(seed * 10 + 2, lines2);
        expect(third.deltaStats.changedLines, `seed ${seed}: day 2 is a delta`).toBeDefined();
        await compare();
        // Fresh databases for the next pair.
        await Promise.all([whole.dispose(), delta.dispose()]);
        [whole, delta] = await Promise.all([createTestTarget(dialect), createTestTarget(dialect)]);
      }
    },
    30_000 + CASES * 4000,
  );

  it('stages only the changed lines, and reports the whole catalogue as unchanged otherwise', async () => {
    const rng = random(42);
    const lines0 = day0(rng, 60, 'number');
    await importDay(0, lines0);
    const lines1 = structuredClone(lines0);
    const at = lines1.ratings.length - 1;
    lines1.ratings[at] = `${lines1.ratings[at]?.split('\t')[0]}\t9.9\t77777`;
    const { deltaStats, wholeStats } = await importDay(1, lines1);
    expect(deltaStats.changedLines).toEqual({ basics: 0, episodes: 0, ratings: 1 });
    expect(deltaStats.files.basics.staged).toBe(0);
    expect(deltaStats.files.ratings.staged).toBe(1);
    expect(deltaStats.files.basics.lines).toBe(lines1.basics.length);
    for (const stage of ['titles', 'episodes', 'titleGenres'] as const) {
      expect(deltaStats.stages[stage], stage).toMatchObject({
        inserted: wholeStats.stages[stage].inserted,
        updated: wholeStats.stages[stage].updated,
        removed: wholeStats.stages[stage].removed,
        unchanged: wholeStats.stages[stage].unchanged,
      });
    }
    await compare();
  });

  it('compares the whole files when the baseline cannot be trusted', async () => {
    const rng = random(7);
    const lines0 = day0(rng, 40, 'number');
    await importDay(0, lines0);
    const lines1 = nextDay(rng, lines0, 40, 0.2);

    // The owner edits a title: the recorded baseline is forgotten.
    const db = await delta.open();
    const [someTitle] = await db.sql.all<{ id: number }>(sql`SELECT id FROM titles ORDER BY id LIMIT 1`);
    await createRepositories(db).titles.update(Number(someTitle?.id), { display_name: 'Edited by the owner' });
    await db.close();
    const edited = await importDay(1, lines1);
    expect(edited.deltaStats.changedLines).toBeUndefined();
    await compare();

    // A day's file out of tconst order: the walk cannot compare it, the whole import can.
    const lines2 = nextDay(rng, lines1, 40, 0.2);
    lines2.episodes.reverse();
    const unsorted = await importDay(2, lines2);
    expect(unsorted.deltaStats.changedLines).toBeUndefined();
    await compare();

    // The kept files changed behind the import's back: their hash no longer matches.
    const lines3 = nextDay(rng, lines2, 40, 0.2);
    await writeDataset(path.join(dir, 'baseline'), lines3);
    const tampered = await importDay(3, lines3);
    expect(tampered.deltaStats.changedLines).toBeUndefined();
    await compare();

    // And the run after each of those is a delta again.
    const lines4 = nextDay(rng, lines3, 40, 0.2);
    const resumed = await importDay(4, lines4);
    expect(resumed.deltaStats.changedLines).toBeDefined();
    await compare();
  });
});
