import { sql } from 'drizzle-orm';
import type { SqlRunner } from '../db/sql-runner.ts';

export interface CatalogueCounts {
  movies: number;
  shows: number;
  episodes: number;
}

/** Where the catalogue came from: the bundled sample, a full IMDb sync, or nothing yet. */
export type CatalogueSource = 'sample' | 'full' | 'empty';

export function createHomeRepository({ sql: db }: { sql: SqlRunner }) {
  return {
    async counts(): Promise<CatalogueCounts> {
      const row = await db.get<CatalogueCounts>(sql`
        SELECT (SELECT count(*) FROM movies) AS movies, (SELECT count(*) FROM shows) AS shows,
               (SELECT count(*) FROM show_episodes) AS episodes`);
      return { movies: Number(row?.movies ?? 0), shows: Number(row?.shows ?? 0), episodes: Number(row?.episodes ?? 0) };
    },
    async source(): Promise<CatalogueSource> {
      const row = await db.get<{ value: string }>(sql`SELECT value FROM sync_state WHERE key = 'imdb_catalogue'`);
      return row?.value === 'sample' || row?.value === 'full' ? row.value : 'empty';
    },
  };
}

export type HomeRepository = ReturnType<typeof createHomeRepository>;
