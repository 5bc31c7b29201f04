/**
 * The rows TMDB enrichment reads and writes: titles waiting for the backfill, what TMDB
 * told us about a title or an episode, and the marks that stop us asking again
 * (tmdb_not_found_at, episodes_checked_at). Plain SQL that both dialects run as is.
 */
import { sql } from 'drizzle-orm';
import type { SqlRunner } from '../db/sql-runner.ts';

export interface EnrichmentTitle {
  id: number;
  type: 'movie' | 'show';
  imdb_id: string | null;
  tmdb_id: number | null;
  image_url: string | null;
  needs_backfill_tmdb: boolean;
  tmdb_not_found_at: string | null;
  episodes_checked_at: string | null;
}

/** What TMDB's details say about a title; null leaves the stored value as it is. */
export interface TitleDetails {
  tmdbId: number;
  imageUrl: string | null;
  originalLanguage: string | null;
  releaseDate: string | null;
  popularity: number | null;
  originCountry: string | null;
  runtimeMinutes: number | null;
}

export interface EnrichmentEpisode {
  episode_id: number;
  season_number: number;
  episode_number: number;
  display_name: string | null;
  image_url: string | null;
  air_date: string | null;
  runtime_minutes: number | null;
  synopsis: string | null;
}

export interface EpisodeDetails {
  name: string | null;
  synopsis: string | null;
  imageUrl: string | null;
  airDate: string | null;
  runtimeMinutes: number | null;
}

const TITLE_STATE = sql.raw(`SELECT id, type, imdb_id, tmdb_id, image_url, needs_backfill_tmdb, tmdb_not_found_at,
  episodes_checked_at FROM titles`);

const toTitle = (row: EnrichmentTitle): EnrichmentTitle => ({
  ...row,
  needs_backfill_tmdb: Boolean(row.needs_backfill_tmdb),
  // PostgreSQL hands timestamps back as Date objects, SQLite as the ISO text it stores.
  tmdb_not_found_at: row.tmdb_not_found_at ? new Date(row.tmdb_not_found_at).toISOString() : null,
  episodes_checked_at: row.episodes_checked_at ? new Date(row.episodes_checked_at).toISOString() : null,
});

export function createEnrichmentRepository({ sql: db }: { sql: SqlRunner }) {
  // SQLite's DESC already puts NULLs last, and its partial index is declared that way.
  const mostVoted = sql.raw(db.dialect === 'pg' ? 'num_votes DESC NULLS LAST, id' : 'num_votes DESC, id');
  const now = () => new Date().toISOString();

  return {
    async pendingCount(): Promise<number> {
      const row = await db.get<{ n: number | string }>(
        sql`SELECT count(*) AS n FROM titles WHERE needs_backfill_tmdb = ${true}`,
      );
      return Number(row?.n ?? 0);
    },

    /**
     * Flagged titles, most-voted first. `skip` steps over the ones this run already tried
     * and left flagged (transient failures): everything before them has been cleared.
     */
    async nextBatch(limit: number, skip: number): Promise<EnrichmentTitle[]> {
      const rows = await db.all<EnrichmentTitle>(
        sql`${TITLE_STATE} WHERE needs_backfill_tmdb = ${true} ORDER BY ${mostVoted} LIMIT ${limit} OFFSET ${skip}`,
      );
      return rows.map(toTitle);
    },

    async title(id: number): Promise<EnrichmentTitle | null> {
      const row = await db.get<EnrichmentTitle>(sql`${TITLE_STATE} WHERE id = ${id}`);
      return row ? toTitle(row) : null;
    },

    // The runtime is IMDb's (the import keeps it in step): TMDB only fills one IMDb lacks.
    async saveDetails(titleId: number, d: TitleDetails) {
      await db.run(sql`
        UPDATE titles SET tmdb_id = ${d.tmdbId}, image_url = COALESCE(${d.imageUrl}, image_url),
          original_language = COALESCE(${d.originalLanguage}, original_language),
          release_date = COALESCE(${d.releaseDate}, release_date),
          tmdb_popularity = COALESCE(${d.popularity}, tmdb_popularity),
          origin_country = COALESCE(${d.originCountry}, origin_country),
          runtime_minutes = COALESCE(runtime_minutes, ${d.runtimeMinutes}),
          needs_backfill_tmdb = ${false}, tmdb_not_found_at = NULL, updated_at = ${now()}
        WHERE id = ${titleId}`);
    },

    /** TMDB does not know the title: never asked again (until a --reset). */
    async markNotFound(titleId: number) {
      await db.run(sql`
        UPDATE titles SET needs_backfill_tmdb = ${false}, tmdb_not_found_at = ${now()} WHERE id = ${titleId}`);
    },

    /** Nothing to look the title up by (no IMDb id): the flag would never clear otherwise. */
    async clearFlag(titleId: number) {
      await db.run(sql`UPDATE titles SET needs_backfill_tmdb = ${false} WHERE id = ${titleId}`);
    },

    /** Flags every title again and forgets what TMDB did not know (the original's reset script). */
    async resetAll(): Promise<number> {
      return db.run(sql`UPDATE titles SET needs_backfill_tmdb = ${true}, tmdb_not_found_at = NULL`);
    },

    /** Every episode of a show (by title id), in season then episode order. */
    showEpisodes(titleId: number): Promise<EnrichmentEpisode[]> {
      return db.all<EnrichmentEpisode>(sql`
        SELECT e.id AS episode_id, ss.season AS season_number, e.episode AS episode_number, e.display_name,
               e.image_url, e.air_date, e.runtime_minutes, e.synopsis
        FROM shows s JOIN show_seasons ss ON ss.show_id = s.id JOIN show_episodes e ON e.season_id = ss.id
        WHERE s.title_id = ${titleId} ORDER BY ss.season, e.episode, e.id`);
    },

    async saveEpisode(episodeId: number, d: EpisodeDetails) {
      await db.run(sql`
        UPDATE show_episodes SET image_url = COALESCE(${d.imageUrl}, image_url),
          air_date = COALESCE(${d.airDate}, air_date), runtime_minutes = COALESCE(${d.runtimeMinutes}, runtime_minutes),
          synopsis = COALESCE(${d.synopsis}, synopsis), display_name = COALESCE(display_name, ${d.name})
        WHERE id = ${episodeId}`);
    },

    async markEpisodesChecked(titleId: number, at = now()) {
      await db.run(sql`UPDATE titles SET episodes_checked_at = ${at} WHERE id = ${titleId}`);
    },
  };
}

export type EnrichmentRepository = ReturnType<typeof createEnrichmentRepository>;
