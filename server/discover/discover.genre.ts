/**
 * Discover's genre filter: a genre name resolved to ids and sized once a minute, and the way
 * a page reads the genre's titles, chosen by what it would cost.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Dialect, SqlRunner } from '../db/sql-runner.ts';

/** The genres named by a filter's genre (case-insensitively), resolved before the query. */
export interface ResolvedGenre {
  ids: number[];
  /** At most RARE_GENRE_TITLES title_genres rows: counted by reading them, not by probing. */
  rare: boolean;
  /** title_genres rows of these ids, counted up to GENRE_COUNT_CAP + 1. */
  titles: number;
  /** The catalogue's size (its largest title id). */
  catalogue: number;
}

/**
 * A genre is rare (a count reads its matches from title_genres) when it has at most this many
 * titles; on SQLite also at most one title in RARE_GENRE_SHARE of the catalogue.
 */
export const RARE_GENRE_TITLES = 10_000;
const RARE_GENRE_SHARE = 50;
// Past this many titles a genre is too big to read whole for a page: it is probed.
const GENRE_COUNT_CAP = 200_000;

export const genreIdIn = (ids: number[]) =>
  ids.length === 1
    ? sql`genre_id = ${ids[0]}`
    : sql`genre_id IN (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`;

/** The genre's title ids, for an IN list or a hashed set. */
export const genreTitleIds = (genre: ResolvedGenre): SQL => {
  const ids = genre.ids.length > 0 ? genre.ids : [0]; // no genre has id 0: matches nothing
  return sql`SELECT title_id FROM title_genres WHERE ${genreIdIn(ids)}`;
};

/**
 * The genre's titles as `g` (g.title_id), each once, to be read in title_id order: one genre
 * is a range of idx_title_genres_genre, (genre_id, title_id), already in that order (written
 * as a plain join, so SQLite sees the order too); several are merged without repeats.
 */
export const genreTitlesInOrder = (genre: ResolvedGenre): { from: SQL; where: SQL[] } =>
  genre.ids.length === 1
    ? { from: sql`title_genres g`, where: [sql`g.genre_id = ${genre.ids[0]}`] }
    : {
        from: sql`(SELECT DISTINCT title_id FROM title_genres WHERE ${genreIdIn(genre.ids.length > 0 ? genre.ids : [0])}) g`,
        where: [],
      };

/** Resolves genre names, remembering each known name for a minute (genres rarely change). */
export function createGenreResolver(db: SqlRunner, rareGenreTitles = RARE_GENRE_TITLES) {
  // Only names that exist are remembered, so a genre created meanwhile is found at once.
  const known = new Map<string, { genre: ResolvedGenre; expires: number }>();
  return {
    clear: () => known.clear(),
    async resolve(name: string): Promise<ResolvedGenre> {
      const key = name.toLowerCase();
      const hit = known.get(key);
      if (hit && hit.expires > Date.now()) return hit.genre;
      const rows = await db.all<{ id: number }>(sql`SELECT id FROM genres WHERE lower(name) = lower(${name})`);
      const ids = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
      if (ids.length === 0) return { ids, rare: true, titles: 0, catalogue: 0 };
      // max(id) sizes the catalogue from the primary key; counting stops at the cap, so a
      // common genre costs little more than a rare one.
      const newest = await db.get<{ n: number | null }>(sql`SELECT max(id) AS n FROM titles`);
      const catalogue = Number(newest?.n ?? 0);
      const threshold =
        db.dialect === 'sqlite' ? Math.max(rareGenreTitles, Math.floor(catalogue / RARE_GENRE_SHARE)) : rareGenreTitles;
      const counted = await db.get<{ n: number }>(sql`
        SELECT count(*) AS n FROM (SELECT 1 FROM title_genres WHERE ${genreIdIn(ids)} LIMIT ${GENRE_COUNT_CAP + 1}) x`);
      const titles = Number(counted?.n ?? 0);
      const genre = { ids, rare: titles <= threshold, titles, catalogue };
      if (known.size >= 500) known.clear();
      known.set(key, { genre, expires: Date.now() + 60_000 });
      return genre;
    },
  };
}

/**
 * Runs a query holding the 'set' form's `(t.id IN (genre's ids)) IS TRUE`. PostgreSQL hashes
 * that IN only when it believes the ids fit in hash memory (work_mem × hash_mem_multiplier,
 * 8 MB by default: 262k ids); else it reads the genre again for every title walked. It
 * judges by title_genres' size on disk, which an import under way inflates with rows no
 * reader can see yet (2.2M in a first full import over the sample): a page took 29 s
 * instead of a millisecond. The form is chosen only for genres of at most GENRE_COUNT_CAP
 * titles (6.4 MB hashed), so a larger allowance, for this statement alone, costs nothing real.
 */
export function readWithHashedGenre<T>(db: SqlRunner, query: SQL): Promise<T[]> {
  if (db.dialect !== 'pg') return db.all<T>(query);
  return db.transaction(async (tx) => {
    await tx.run(sql`SET LOCAL hash_mem_multiplier = 64`);
    return tx.all<T>(query);
  });
}

/**
 * How a page reads a genre's titles:
 * - lookup: every title of the genre by primary key, then sorted (cost: the genre's size);
 * - set: the genre's ids hashed, then the sort's index walked from the top, each entry tested
 *   against the hash, until the page is full (cost: the genre's size, cheaply, plus the walk);
 * - probe: the sort's index walked, title_genres probed per entry (cost: the walk, dearly).
 * The walk is as long as the page's end divided by the share of the walked titles that match.
 */
export type GenrePageForm = 'lookup' | 'set' | 'probe';

// Relative costs per title, measured at 1M titles (bench:api): PostgreSQL ~3 µs a primary-key
// lookup, ~0.3 µs hashing a title or walking an index-only entry past the hash, ~8 µs a probe
// walk (heap and title_genres); SQLite ~1, ~0.2, ~0.1 and ~1.5 µs.
const COSTS: Record<Dialect, { lookup: number; hash: number; walk: number; probe: number }> = {
  pg: { lookup: 10, hash: 1, walk: 1, probe: 27 },
  sqlite: { lookup: 5, hash: 1, walk: 0.5, probe: 7 },
};

/** `universe`: the titles the sort's index holds (all, or the few its sort keeps). */
export function genrePageForm(
  genre: ResolvedGenre,
  total: number,
  pageEnd: number,
  universe: number,
  dialect: Dialect,
): GenrePageForm {
  const cost = COSTS[dialect];
  const walked = Math.min(universe, (pageEnd * universe) / Math.max(total, 1));
  const forms: [GenrePageForm, number][] = [
    ['lookup', genre.titles * cost.lookup],
    ['set', genre.titles * cost.hash + walked * cost.walk],
    ['probe', walked * cost.probe],
  ];
  if (genre.titles > GENRE_COUNT_CAP) forms.splice(0, 2); // too big to read whole
  return forms.reduce((best, form) => (form[1] < best[1] ? form : best))[0];
}
