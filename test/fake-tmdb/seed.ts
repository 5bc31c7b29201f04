/** Catalogue rows for TMDB tests: titles with IMDb ids the fake TMDB knows (or not). */
import { sql } from 'drizzle-orm';
import type { SqlRunner } from '../../server/db/sql-runner.ts';
import type { Repositories } from '../../server/repositories.ts';

export interface SeedTitle {
  type: 'movie' | 'show';
  name: string;
  imdbId: string | null;
  votes?: number | null;
  /** Seasons of the show: episode numbers per season number. */
  seasons?: Record<number, number[]>;
}

/** Creates the titles (flagged for backfill, as an import leaves them); returns title ids in order. */
export async function seedTitles(repositories: Repositories, db: SqlRunner, titles: SeedTitle[]) {
  const ids: number[] = [];
  for (const t of titles) {
    const created = await repositories.titles.create({ type: t.type, display_name: t.name, imdb_id: t.imdbId });
    await db.run(sql`UPDATE titles SET num_votes = ${t.votes ?? null} WHERE id = ${created.title_id}`);
    for (const [season, episodes] of Object.entries(t.seasons ?? {})) {
      const made = await repositories.seasons.create(created.show_id as number, Number(season));
      for (const episode of episodes) {
        await repositories.episodes.create(made?.season_id as number, { episode_number: episode });
      }
    }
    ids.push(created.title_id);
  }
  return ids;
}

export const titleRow = (db: SqlRunner, id: number) =>
  db.get<Record<string, unknown>>(sql`
    SELECT tmdb_id, image_url, original_language, release_date, tmdb_popularity, origin_country, runtime_minutes,
           needs_backfill_tmdb, tmdb_not_found_at, episodes_checked_at
    FROM titles WHERE id = ${id}`);
