import { sql } from 'drizzle-orm';
import type { SqlRunner } from '../db/sql-runner.ts';

export interface CatalogueCounts {
  movies: number;
  shows: number;
  episodes: number;
}

/** Where the catalogue came from: the bundled sample, a full IMDb sync, or nothing yet. */
export type CatalogueSource = 'sample' | 'full' | 'empty';

/**
 * Counting a full catalogue (a million titles, millions of episodes) reads whole indexes, too
 * slow for every view of the home page: above this many titles the counts are kept for a
 * minute. A small catalogue is counted on each view, so an owner's edit shows at once.
 */
const CACHE_COUNTS_ABOVE = 50_000;
const COUNTS_TTL_MS = 60_000;

export function createHomeRepository({ sql: db, now = Date.now }: { sql: SqlRunner; now?: () => number }) {
  let kept: { counts: Promise<CatalogueCounts>; expires: number } | null = null;
  const count = async (): Promise<CatalogueCounts> => {
    const row = await db.get<CatalogueCounts>(sql`
      SELECT (SELECT count(*) FROM movies) AS movies, (SELECT count(*) FROM shows) AS shows,
             (SELECT count(*) FROM show_episodes) AS episodes`);
    return { movies: Number(row?.movies ?? 0), shows: Number(row?.shows ?? 0), episodes: Number(row?.episodes ?? 0) };
  };
  return {
    counts(): Promise<CatalogueCounts> {
      if (kept && kept.expires > now()) return kept.counts;
      const counts = count();
      const entry = { counts, expires: now() + COUNTS_TTL_MS };
      // Concurrent views share the count in flight; only a large result is kept afterwards.
      kept = entry;
      counts.then(
        (c) => {
          if (c.movies + c.shows <= CACHE_COUNTS_ABOVE && kept === entry) kept = null;
        },
        () => {
          if (kept === entry) kept = null;
        },
      );
      return counts;
    },
    async source(): Promise<CatalogueSource> {
      const row = await db.get<{ value: string }>(sql`SELECT value FROM sync_state WHERE key = 'imdb_catalogue'`);
      return row?.value === 'sample' || row?.value === 'full' ? row.value : 'empty';
    },
  };
}

export type HomeRepository = ReturnType<typeof createHomeRepository>;
